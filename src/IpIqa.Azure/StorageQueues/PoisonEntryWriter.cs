using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;

namespace IpIqa.Azure.StorageQueues;

/// <summary>
/// Builds a poison-queue entry that always fits a Storage Queue message: the JSON is sent as base64,
/// and its base64 length is kept under <see cref="MaxEncodedLength"/> (the service's limit is 64 KiB)
/// by construction. The original message is kept as text with every URI in it stripped of query,
/// user information and fragment (no SAS token is copied), cut at a UTF-8 character boundary when
/// it does not fit; <c>messageBytes</c> and <c>messageSha256</c> always describe the message as received.
/// </summary>
public static class PoisonEntryWriter
{
    /// <summary>The longest base64 entry written: 60 KiB, a margin under the service's 64 KiB.</summary>
    public const int MaxEncodedLength = 60 * 1024;

    /// <summary>The longest error description kept, in characters.</summary>
    public const int MaxDescriptionLength = 1024;

    private const int MaxJsonBytes = MaxEncodedLength / 4 * 3;

    /// <summary>The entry's UTF-8 JSON; its base64 is at most <see cref="MaxEncodedLength"/> characters.</summary>
    public static byte[] Build(string messageId, long dequeueCount, DateTimeOffset? insertedOn, string code, string description, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(description);
        description = UriRedaction.StripAll(description);
        if (description.Length > MaxDescriptionLength)
        {
            description = description[..(char.IsHighSurrogate(description[MaxDescriptionLength - 1]) ? MaxDescriptionLength - 1 : MaxDescriptionLength)];
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var text = Redact(Encoding.UTF8.GetString(body));
        var utf8 = Encoding.UTF8.GetBytes(text);
        var keep = utf8.Length;
        var bare = Write(messageId, dequeueCount, insertedOn, code, description, hash, body.Length, [], true).Length;
        if (bare > MaxJsonBytes)
        {
            throw new InvalidOperationException($"A poison entry without the message is still {bare} bytes.");
        }

        while (true)
        {
            var entry = Write(messageId, dequeueCount, insertedOn, code, description, hash, body.Length, utf8.AsSpan(0, keep), keep < utf8.Length);
            if (entry.Length <= MaxJsonBytes)
            {
                return entry;
            }

            // Escaping expands the text (up to six times): keep the share of it that fits, then back to a character boundary.
            var escaped = entry.Length - bare;
            var room = MaxJsonBytes - bare;
            keep = CharacterBoundary(utf8, Math.Min(keep - 1, (int)((long)keep * room / Math.Max(1, escaped))));
        }
    }

    /// <summary>
    /// The message text with every URI stripped; JSON is re-read so that escaped forms (<c>\/</c>, <c>\u003F</c>) are caught too.
    /// The JSON is walked as a document and written again, so a property given twice (kept twice) or a string that is not
    /// valid UTF-16 (stripped as text) cannot make the entry fail: these are the messages that reach the poison queue.
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            using var buffer = new MemoryStream();
            bool changed;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                changed = RedactElement(writer, document.RootElement);
            }

            return changed ? Encoding.UTF8.GetString(buffer.ToArray()) : UriRedaction.StripAll(text);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string with a lone surrogate escape that cannot be read as text.
            return UriRedaction.StripAll(text);
        }
    }

    private static bool RedactElement(Utf8JsonWriter writer, JsonElement element)
    {
        var changed = false;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    changed |= RedactElement(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    changed |= RedactElement(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                var value = element.GetString()!;
                var stripped = UriRedaction.StripAll(value);
                writer.WriteStringValue(stripped);
                changed = stripped != value;
                break;
            default:
                element.WriteTo(writer);
                break;
        }

        return changed;
    }

    /// <summary>The largest length at most <paramref name="length"/> that does not split a UTF-8 sequence.</summary>
    private static int CharacterBoundary(byte[] utf8, int length)
    {
        while (length > 0 && length < utf8.Length && (utf8[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return length;
    }

    private static byte[] Write(string messageId, long dequeueCount, DateTimeOffset? insertedOn, string code, string description, string hash, int bytes, ReadOnlySpan<byte> message, bool truncated)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("messageId", messageId);
            writer.WriteNumber("dequeueCount", dequeueCount);
            if (insertedOn is { } inserted)
            {
                writer.WriteString("insertedOn", inserted);
            }

            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", description);
            writer.WriteEndObject();
            writer.WriteString("message", message);
            writer.WriteNumber("messageBytes", bytes);
            writer.WriteString("messageSha256", hash);
            writer.WriteBoolean("messageTruncated", truncated);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
