using System.Text.Json;

namespace IpIqa.Core.Contracts;

/// <summary>Field checks of <see cref="ScoringRequestParser"/>; each returns null when the field is fine, else a message naming it.</summary>
internal static class RequestJsonFields
{
    /// <summary>Longest quote of a value in an error message.</summary>
    private const int QuoteLength = 64;

    /// <summary>The identity an error keeps: each field only when it is valid and within its cap.</summary>
    public static RequestIdentity ReadIdentity(JsonElement root)
    {
        var jobId = CheckJobId(root) is null ? root.GetProperty("jobId").GetString() : null;
        var correlationId = CheckOptionalString(root, "correlationId", RequestLimits.MaxCorrelationIdLength) is null && root.TryGetProperty("correlationId", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;
        var image = CheckImage(root) is null ? ReadImage(root.GetProperty("image")) : null;
        return new RequestIdentity(jobId, correlationId, image);
    }

    /// <summary>An error whose message is at most <see cref="RequestLimits.MaxErrorMessageLength"/> characters.</summary>
    public static ScoringRequestError Error(string code, string message, RequestIdentity identity) =>
        new(code, Shorten(message, RequestLimits.MaxErrorMessageLength), identity.JobId, identity.CorrelationId, identity.Image);

    /// <summary>A value for an error message: quoted, and cut to <see cref="QuoteLength"/> characters.</summary>
    public static string Quote(string value) => $"'{Shorten(value, QuoteLength)}'";

    /// <summary>A JSON value's text for an error message, cut to <see cref="QuoteLength"/> characters.</summary>
    public static string Raw(JsonElement element) => Shorten(element.GetRawText(), QuoteLength);

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters (ending in "...") without splitting a surrogate pair.</summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 3;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "...");
    }

    /// <summary>Finds top-level <c>jobId</c> and <c>correlationId</c> strings in JSON that may be broken further on.</summary>
    public static RequestIdentity ScanIdentity(ReadOnlySpan<byte> utf8Json)
    {
        string? jobId = null, correlationId = null;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = RequestLimits.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                var isJobId = reader.ValueTextEquals("jobId"u8);
                var isCorrelationId = reader.ValueTextEquals("correlationId"u8);
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    continue;
                }

                if (isJobId && reader.ValueSpan.Length <= RequestLimits.MaxJobIdLength * 6)
                {
                    jobId = reader.GetString() is { Length: <= RequestLimits.MaxJobIdLength } value ? value : null;
                }
                else if (isCorrelationId && reader.ValueSpan.Length <= RequestLimits.MaxCorrelationIdLength * 6)
                {
                    correlationId = reader.GetString() is { Length: <= RequestLimits.MaxCorrelationIdLength } value ? value : null;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // The rest is broken; keep what was read before it.
        }

        return new RequestIdentity(string.IsNullOrWhiteSpace(jobId) ? null : jobId, correlationId, null);
    }

    public static string? CheckJobId(JsonElement root)
    {
        if (!root.TryGetProperty("jobId", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return "jobId is missing.";
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return $"jobId must be a string; it is a JSON {Kind(element)}.";
        }

        var jobId = SafeString(element);
        if (string.IsNullOrWhiteSpace(jobId))
        {
            return "jobId is empty or not valid text.";
        }

        return jobId.Length > RequestLimits.MaxJobIdLength
            ? $"jobId is {jobId.Length} characters; the limit is {RequestLimits.MaxJobIdLength}."
            : null;
    }

    public static string? CheckImage(JsonElement root)
    {
        if (!root.TryGetProperty("image", out var image) || image.ValueKind == JsonValueKind.Null)
        {
            return "image is missing.";
        }

        if (image.ValueKind != JsonValueKind.Object)
        {
            return $"image must be an object with 'uri' or 'path'; it is a JSON {Kind(image)}.";
        }

        var problem = CheckOptionalString(image, "uri", RequestLimits.MaxImageReferenceLength, "image.")
            ?? CheckOptionalString(image, "path", RequestLimits.MaxImageReferenceLength, "image.");
        if (problem is not null)
        {
            return problem;
        }

        var reference = ReadImage(image);
        var hasUri = !string.IsNullOrWhiteSpace(reference.Uri);
        var hasPath = !string.IsNullOrWhiteSpace(reference.Path);
        if (hasUri == hasPath)
        {
            return hasUri ? "image has both 'uri' and 'path'; give exactly one." : "image has neither 'uri' nor 'path'; give exactly one.";
        }

        return hasUri && !Uri.TryCreate(reference.Uri, UriKind.Absolute, out _) ? $"image.uri {Quote(reference.Uri!)} is not an absolute URI." : null;
    }

    /// <summary>Null when <paramref name="name"/> is absent, null, or a valid string of at most <paramref name="maxLength"/> characters.</summary>
    public static string? CheckOptionalString(JsonElement parent, string name, int maxLength, string prefix = "")
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return $"{prefix}{name} must be a string; it is a JSON {Kind(element)}.";
        }

        return SafeString(element) switch
        {
            null => $"{prefix}{name} is not valid Unicode text.",
            { Length: var length } when length > maxLength => $"{prefix}{name} is {length} characters; the limit is {maxLength}.",
            _ => null,
        };
    }

    public static string? ReadThresholds(JsonElement root, out Thresholds? thresholds)
    {
        thresholds = null;
        if (!root.TryGetProperty("thresholds", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"thresholds must be an object; it is a JSON {Kind(element)}.";
        }

        var problem = ReadThreshold(element, "quality", out var quality);
        if (problem is not null)
        {
            return problem;
        }

        problem = ReadThreshold(element, "alignment", out var alignment);
        thresholds = problem is null ? new Thresholds(quality, alignment) : null;
        return problem;
    }

    /// <summary>
    /// <c>explain</c>: true or false (absent or null is false), or an object <c>{"words": true|false}</c> that asks for
    /// the explanation and, with <c>words</c>, the per-word attribution; other properties of the object are ignored.
    /// </summary>
    public static string? ReadExplain(JsonElement root, out bool explain, out bool words)
    {
        (explain, words) = (false, false);
        if (!root.TryGetProperty("explain", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("words", out var asked) && asked.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                return $"explain.words must be true or false; it is {Raw(asked)}.";
            }

            (explain, words) = (true, asked.ValueKind == JsonValueKind.True);
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return $"explain must be true, false or {{\"words\": true}}; it is {Raw(element)}.";
        }

        explain = element.GetBoolean();
        return null;
    }

    private static string? ReadThreshold(JsonElement thresholds, string name, out double? value)
    {
        value = null;
        if (!thresholds.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            return $"thresholds.{name} must be a finite number; it is {Raw(element)}.";
        }

        value = number;
        return null;
    }

    /// <summary>The image's <c>uri</c> and <c>path</c>; one that is empty or white space counts as absent.</summary>
    private static ImageReference ReadImage(JsonElement image) => new(Text(image, "uri"), Text(image, "path"));

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && SafeString(element) is { } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    /// <summary>The string, or null when it holds an unpaired surrogate escape.</summary>
    public static string? SafeString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
