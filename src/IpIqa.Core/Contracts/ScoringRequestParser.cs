using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Contracts;

/// <summary>
/// Reads and validates a schema v1 <see cref="ScoringRequest"/> from UTF-8 JSON, or a storage
/// BlobCreated event (CloudEvents 1.0 or Event Grid schema, alone or as a one-element array) as a job
/// whose prompt is in the blob's metadata (see <see cref="BlobEventParser"/>). It never throws:
/// a bad message gives a <see cref="ScoringRequestError"/> with one of these codes:
/// <list type="bullet">
/// <item><c>message_invalid</c>: not JSON, not an object, a duplicated property, a missing or mistyped
/// <c>jobId</c>, <c>image</c> or <c>prompt</c>, an image with both or neither of <c>uri</c> and <c>path</c>,
/// a mistyped optional field, or a field over its cap (<see cref="RequestLimits"/>); for an event, a missing or mistyped <c>id</c>, type, <c>data</c> or <c>data.url</c>.</item>
/// <item><c>schema_unsupported</c>: a <c>schemaVersion</c> other than 1 (absent or null means 1; 1.0 is 1; a string is <c>message_invalid</c>).</item>
/// <item><c>prompt_invalid</c>: a prompt that is not a string, is empty or white space, is not valid
/// Unicode, or is longer than the configured limit in UTF-8 bytes (<c>IpIqa:Model:MaxPromptBytes</c>).</item>
/// <item><c>event_unsupported</c>: an event of another type than BlobCreated, or a CloudEvents version other than 1.0.</item>
/// </list>
/// A leading UTF-8 byte order mark is skipped. Unknown properties are ignored; names are case-sensitive. The error keeps the <c>jobId</c>,
/// <c>correlationId</c> and <c>image</c> whenever they can still be read and are within their caps;
/// its message quotes values shortened and is at most <see cref="RequestLimits.MaxErrorMessageLength"/> characters.
/// </summary>
public static class ScoringRequestParser
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = RequestLimits.MaxDepth };

    /// <summary>Parses a request or event; an event's prompt is looked for under the metadata key <see cref="PromptMetadata.DefaultKey"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error) =>
        TryParse(utf8Json, PromptMetadata.DefaultKey, RequestLimits.DefaultMaxPromptBytes, out request, out error);

    /// <summary>Parses a request or event, with the default prompt limit <see cref="RequestLimits.DefaultMaxPromptBytes"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, string promptMetadataKey, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error) =>
        TryParse(utf8Json, promptMetadataKey, RequestLimits.DefaultMaxPromptBytes, out request, out error);

    /// <summary>
    /// Parses a request or event; a BlobCreated event becomes a job whose prompt is the blob's metadata value under
    /// <paramref name="promptMetadataKey"/>. A request's prompt may be at most <paramref name="maxPromptBytes"/> UTF-8 bytes
    /// (<c>IpIqa:Model:MaxPromptBytes</c>).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, string promptMetadataKey, int maxPromptBytes, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promptMetadataKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPromptBytes, 1);
        request = null;
        if (utf8Json.StartsWith(Utf8ByteOrderMark))
        {
            utf8Json = utf8Json[Utf8ByteOrderMark.Length..];
        }

        if (utf8Json.Length > RequestLimits.MaxMessageBytes)
        {
            error = Invalid($"The message is {utf8Json.Length} bytes; the limit is {RequestLimits.MaxMessageBytes}.", RequestJsonFields.ScanIdentity(utf8Json));
            return false;
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            error = Invalid("The message is not valid UTF-8.", RequestJsonFields.ScanIdentity(utf8Json));
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: the duplicate-property check cannot unescape a name holding an unpaired surrogate.
            error = Invalid($"The message is not valid JSON: {ex.Message}", RequestJsonFields.ScanIdentity(utf8Json));
            return false;
        }

        using (document)
        {
            try
            {
                return BlobEventParser.IsEventOrArray(document.RootElement)
                    ? BlobEventParser.TryRead(document.RootElement, promptMetadataKey, out request, out error)
                    : TryRead(document.RootElement, maxPromptBytes, out request, out error);
            }
            catch (InvalidOperationException ex)
            {
                // A value the checks above did not foresee; the message is still the caller's fault.
                request = null;
                error = Invalid($"The message could not be read: {ex.Message}", default);
                return false;
            }
        }
    }

    private static bool TryRead(JsonElement root, int maxPromptBytes, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error)
    {
        request = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = Invalid($"The message must be a JSON object; it is a JSON {root.ValueKind.ToString().ToLowerInvariant()}.", default);
            return false;
        }

        var identity = RequestJsonFields.ReadIdentity(root);
        if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind != JsonValueKind.Null)
        {
            // A number of integral value (1, 1.0, 1e0: producers differ in how they write it); a string is mistyped.
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetDouble(out var number) || !double.IsFinite(number) || number != Math.Floor(number))
            {
                error = Invalid($"schemaVersion must be an integer; it is {RequestJsonFields.Raw(version)}.", identity);
                return false;
            }

            if (number != ScoringRequest.CurrentSchemaVersion)
            {
                error = RequestJsonFields.Error(
                    ErrorCodes.SchemaUnsupported,
                    $"schemaVersion {RequestJsonFields.Raw(version)} is not supported; this worker reads schemaVersion {ScoringRequest.CurrentSchemaVersion}.",
                    identity);
                return false;
            }
        }

        var problem = RequestJsonFields.CheckJobId(root)
            ?? RequestJsonFields.CheckImage(root)
            ?? RequestJsonFields.CheckOptionalString(root, "correlationId", RequestLimits.MaxCorrelationIdLength);
        if (problem is not null)
        {
            error = Invalid(problem, identity);
            return false;
        }

        if (!root.TryGetProperty("prompt", out var promptElement) || promptElement.ValueKind == JsonValueKind.Null)
        {
            // The same code as a manifest line or a gallery image without a prompt, whichever front door reads it.
            error = RequestJsonFields.Error(ErrorCodes.PromptMissing, "prompt is missing.", identity);
            return false;
        }

        if (CheckPrompt(promptElement, maxPromptBytes, out var prompt) is { } promptProblem)
        {
            error = RequestJsonFields.Error(ErrorCodes.PromptInvalid, promptProblem, identity);
            return false;
        }

        IReadOnlyDictionary<string, string>? attributes = null;
        var (explain, words) = (false, false);
        problem = RequestJsonFields.ReadThresholds(root, out var thresholds) ?? RequestJsonAttributes.Read(root, out attributes) ?? RequestJsonFields.ReadExplain(root, out explain, out words);
        if (problem is not null)
        {
            error = Invalid(problem, identity);
            return false;
        }

        request = new ScoringRequest(identity.JobId!, identity.Image!, prompt!, thresholds, identity.CorrelationId, attributes) { Explain = explain, ExplainWords = words };
        error = null;
        return true;
    }

    private static string? CheckPrompt(JsonElement element, int maxPromptBytes, out string? prompt)
    {
        prompt = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return $"prompt must be a string; it is a JSON {element.ValueKind.ToString().ToLowerInvariant()}.";
        }

        try
        {
            prompt = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "prompt is not valid Unicode text (it contains an unpaired surrogate escape).";
        }

        return CheckPrompt(prompt, maxPromptBytes);
    }

    /// <summary>Null when <paramref name="prompt"/> is a valid prompt of at most <paramref name="maxPromptBytes"/> UTF-8 bytes, else why it is not (<c>prompt_invalid</c>).</summary>
    internal static string? CheckPrompt(string prompt, int maxPromptBytes)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return "prompt is empty or only white space.";
        }

        var bytes = Encoding.UTF8.GetByteCount(prompt);
        return bytes > maxPromptBytes ? $"prompt is {bytes} UTF-8 bytes; the limit is {maxPromptBytes} (IpIqa:Model:MaxPromptBytes)." : null;
    }

    private static ScoringRequestError Invalid(string message, RequestIdentity identity) =>
        RequestJsonFields.Error(ErrorCodes.MessageInvalid, message, identity);
}
