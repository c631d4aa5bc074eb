using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Contracts;

/// <summary>
/// Reads a storage <c>Microsoft.Storage.BlobCreated</c> event as a job, for <see cref="ScoringRequestParser"/>:
/// a CloudEvents 1.0 event in structured mode (<c>specversion</c>, <c>type</c>, <c>id</c>, <c>subject</c>,
/// <c>data</c>), an event in the Event Grid schema (<c>eventType</c>, <c>id</c>, <c>subject</c>,
/// <c>dataVersion</c>, <c>data</c>), or a JSON array holding one such event. The job id is the event id,
/// the image is <c>data.url</c>, the correlation id is the subject (else, or when the subject is over
/// <see cref="RequestLimits.MaxCorrelationIdLength"/> characters, the id), the attributes carry
/// <c>eventType</c> and <c>eTag</c>, and the prompt is left to the blob's metadata key.
/// Any other event type, or a CloudEvents version other than 1.0, is <c>event_unsupported</c>;
/// a missing or mistyped <c>id</c>, <c>type</c>, <c>data</c> or <c>data.url</c> is <c>message_invalid</c>.
/// </summary>
internal static class BlobEventParser
{
    /// <summary>The one event type that is a job.</summary>
    public const string BlobCreated = "Microsoft.Storage.BlobCreated";

    /// <summary>The CloudEvents version read.</summary>
    public const string CloudEventsVersion = "1.0";

    /// <summary>Whether <paramref name="root"/> is an event (or an array, the Event Grid delivery form) rather than a schema v1 request.</summary>
    public static bool IsEventOrArray(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array || IsEvent(root);

    public static bool TryRead(JsonElement root, string promptMetadataKey, [NotNullWhen(true)] out ScoringRequest? request, [NotNullWhen(false)] out ScoringRequestError? error)
    {
        request = null;
        if (root.ValueKind == JsonValueKind.Array)
        {
            var count = root.GetArrayLength();
            if (count != 1 || !IsEvent(root[0]))
            {
                error = Invalid(
                    $"The message must be a JSON object (a schema v1 request or one event) or an array of exactly one event; it is a JSON array of {count} element(s){(count == 1 ? " that is not an event" : "")}.",
                    default);
                return false;
            }

            root = root[0];
        }

        var cloudEvent = root.TryGetProperty("specversion", out var version);
        var typeName = cloudEvent ? "type" : "eventType";
        var identity = ReadIdentity(root);
        if (cloudEvent && (version.ValueKind != JsonValueKind.String || version.GetString() != CloudEventsVersion))
        {
            error = RequestJsonFields.Error(
                ErrorCodes.EventUnsupported,
                $"CloudEvents specversion {RequestJsonFields.Raw(version)} is not supported; this worker reads \"{CloudEventsVersion}\".",
                identity);
            return false;
        }

        var problem = CheckId(root) ?? RequestJsonFields.CheckOptionalString(root, "subject", int.MaxValue);
        if (problem is not null)
        {
            error = Invalid(problem, identity);
            return false;
        }

        if (!root.TryGetProperty(typeName, out var typeElement) || typeElement.ValueKind != JsonValueKind.String || RequestJsonFields.SafeString(typeElement) is not { Length: > 0 } type)
        {
            error = Invalid($"The event's {typeName} is missing or not a string.", identity);
            return false;
        }

        if (!string.Equals(type, BlobCreated, StringComparison.Ordinal))
        {
            error = RequestJsonFields.Error(
                ErrorCodes.EventUnsupported,
                $"Event type {RequestJsonFields.Quote(type)} is not a job; the worker scores {BlobCreated} events only.",
                identity);
            return false;
        }

        problem = CheckData(root, out var data);
        if (problem is not null)
        {
            error = Invalid(problem, identity);
            return false;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["eventType"] = type };
        if (data.TryGetProperty("eTag", out var etag) && etag.ValueKind == JsonValueKind.String && RequestJsonFields.SafeString(etag) is { Length: > 0 } etagValue)
        {
            if (etagValue.Length > RequestLimits.MaxAttributeValueLength)
            {
                error = Invalid($"The event's data.eTag is {etagValue.Length} characters; the limit is {RequestLimits.MaxAttributeValueLength}.", identity);
                return false;
            }

            attributes["eTag"] = etagValue;
        }

        request = new ScoringRequest(identity.JobId!, identity.Image!, null, null, identity.CorrelationId, attributes)
        {
            PromptMetadataKey = promptMetadataKey,
        };
        error = null;
        return true;
    }

    private static bool IsEvent(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && (element.TryGetProperty("specversion", out _) || (element.TryGetProperty("eventType", out _) && element.TryGetProperty("dataVersion", out _)));

    private static RequestIdentity ReadIdentity(JsonElement root)
    {
        var id = CheckId(root) is null ? root.GetProperty("id").GetString() : null;
        var subject = root.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String ? RequestJsonFields.SafeString(s) : null;
        var image = CheckData(root, out var data) is null ? new ImageReference(data.GetProperty("url").GetString()) : null;

        // A subject names the blob (up to 1,024 characters): over the correlation id's cap, the id stands in for it.
        var correlationId = string.IsNullOrWhiteSpace(subject) || subject.Length > RequestLimits.MaxCorrelationIdLength ? id : subject;
        return new RequestIdentity(id, correlationId, image);
    }

    private static string? CheckId(JsonElement root)
    {
        if (!root.TryGetProperty("id", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return "The event's id is missing.";
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return $"The event's id must be a string; it is a JSON {RequestJsonFields.Kind(element)}.";
        }

        var id = RequestJsonFields.SafeString(element);
        if (string.IsNullOrWhiteSpace(id))
        {
            return "The event's id is empty or not valid text.";
        }

        return id.Length > RequestLimits.MaxJobIdLength
            ? $"The event's id is {id.Length} characters; the limit is {RequestLimits.MaxJobIdLength}."
            : null;
    }

    private static string? CheckData(JsonElement root, out JsonElement data)
    {
        if (!root.TryGetProperty("data", out data) || data.ValueKind != JsonValueKind.Object)
        {
            return data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                ? "The event's data is missing."
                : $"The event's data must be an object; it is a JSON {RequestJsonFields.Kind(data)}.";
        }

        if (!data.TryGetProperty("url", out var url) || url.ValueKind == JsonValueKind.Null)
        {
            return "The event's data.url is missing.";
        }

        if (url.ValueKind != JsonValueKind.String || RequestJsonFields.SafeString(url) is not { } text)
        {
            return $"The event's data.url must be a string; it is a JSON {RequestJsonFields.Kind(url)}.";
        }

        if (text.Length > RequestLimits.MaxImageReferenceLength)
        {
            return $"The event's data.url is {text.Length} characters; the limit is {RequestLimits.MaxImageReferenceLength}.";
        }

        return Uri.TryCreate(text, UriKind.Absolute, out _) ? null : $"The event's data.url {RequestJsonFields.Quote(text)} is not an absolute URI.";
    }

    private static ScoringRequestError Invalid(string message, RequestIdentity identity) =>
        RequestJsonFields.Error(ErrorCodes.MessageInvalid, message, identity);
}
