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
/// or a mistyped optional field; for an event, a missing or mistyped <c>id</c>, type, <c>data</c> or <c>data.url</c>.</item>
/// <item><c>schema_unsupported</c>: a <c>schemaVersion</c> other than 1 (absent means 1).</item>
/// <item><c>prompt_invalid</c>: a prompt that is not a string, is empty or white space, is not valid
/// Unicode, or is longer than <see cref="MaxPromptBytes"/> UTF-8 bytes.</item>
/// <item><c>event_unsupported</c>: an event of another type than BlobCreated, or a CloudEvents version other than 1.0.</item>
/// </list>
/// Unknown properties are ignored; names are case-sensitive. The error keeps the <c>jobId</c>,
/// <c>correlationId</c> and <c>image</c> whenever they can still be read.
/// </summary>
public static class ScoringRequestParser
{
    /// <summary>Longest prompt accepted, in UTF-8 bytes. CLIP reads at most 75 tokens; this is far above that.</summary>
    public const int MaxPromptBytes = 4096;

    /// <summary>Longest <c>jobId</c> accepted, in characters.</summary>
    public const int MaxJobIdLength = 256;

    /// <summary>Most <c>attributes</c> entries accepted.</summary>
    public const int MaxAttributes = 64;

    /// <summary>Largest message accepted, in bytes.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    /// <summary>Parses a request or event; an event's prompt is looked for under the metadata key <see cref="PromptMetadata.DefaultKey"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error) =>
        TryParse(utf8Json, PromptMetadata.DefaultKey, out request, out error);

    /// <summary>Parses a request or event; a BlobCreated event becomes a job whose prompt is the blob's metadata value under <paramref name="promptMetadataKey"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, string promptMetadataKey, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promptMetadataKey);
        request = null;
        if (utf8Json.Length > MaxMessageBytes)
        {
            error = Invalid($"The message is {utf8Json.Length} bytes; the limit is {MaxMessageBytes}.", RequestJsonFields.ScanIdentity(utf8Json));
            return false;
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            error = Invalid("The message is not valid UTF-8.", default);
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = Invalid($"The message is not valid JSON: {ex.Message}", RequestJsonFields.ScanIdentity(utf8Json));
            return false;
        }

        using (document)
        {
            try
            {
                return BlobEventParser.IsEventOrArray(document.RootElement)
                    ? BlobEventParser.TryRead(document.RootElement, promptMetadataKey, out request, out error)
                    : TryRead(document.RootElement, out request, out error);
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

    private static bool TryRead(JsonElement root, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error)
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
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number))
            {
                error = Invalid($"schemaVersion must be an integer; it is {version.GetRawText()}.", identity);
                return false;
            }

            if (number != ScoringRequest.CurrentSchemaVersion)
            {
                error = new ScoringRequestError(
                    ErrorCodes.SchemaUnsupported,
                    $"schemaVersion {number} is not supported; this worker reads schemaVersion {ScoringRequest.CurrentSchemaVersion}.",
                    identity.JobId,
                    identity.CorrelationId,
                    identity.Image);
                return false;
            }
        }

        var problem = RequestJsonFields.CheckJobId(root)
            ?? RequestJsonFields.CheckImage(root)
            ?? RequestJsonFields.CheckOptionalString(root, "correlationId");
        if (problem is not null)
        {
            error = Invalid(problem, identity);
            return false;
        }

        if (!root.TryGetProperty("prompt", out var promptElement) || promptElement.ValueKind == JsonValueKind.Null)
        {
            error = Invalid("prompt is missing.", identity);
            return false;
        }

        if (CheckPrompt(promptElement, out var prompt) is { } promptProblem)
        {
            error = new ScoringRequestError(ErrorCodes.PromptInvalid, promptProblem, identity.JobId, identity.CorrelationId, identity.Image);
            return false;
        }

        IReadOnlyDictionary<string, string>? attributes = null;
        problem = RequestJsonFields.ReadThresholds(root, out var thresholds) ?? RequestJsonFields.ReadAttributes(root, out attributes);
        if (problem is not null)
        {
            error = Invalid(problem, identity);
            return false;
        }

        request = new ScoringRequest(identity.JobId!, identity.Image!, prompt!, thresholds, identity.CorrelationId, attributes);
        error = null;
        return true;
    }

    private static string? CheckPrompt(JsonElement element, out string? prompt)
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

        return CheckPrompt(prompt);
    }

    /// <summary>Null when <paramref name="prompt"/> is a valid prompt, else why it is not (<c>prompt_invalid</c>).</summary>
    internal static string? CheckPrompt(string prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return "prompt is empty or only white space.";
        }

        var bytes = Encoding.UTF8.GetByteCount(prompt);
        return bytes > MaxPromptBytes ? $"prompt is {bytes} UTF-8 bytes; the limit is {MaxPromptBytes}." : null;
    }

    private static ScoringRequestError Invalid(string message, RequestIdentity identity) =>
        new(ErrorCodes.MessageInvalid, message, identity.JobId, identity.CorrelationId, identity.Image);
}
