using System.Text.Json;

namespace IpIqa.Core.Contracts;

/// <summary>Field checks of <see cref="ScoringRequestParser"/>; each returns null when the field is fine, else a message naming it.</summary>
internal static class RequestJsonFields
{
    public static RequestIdentity ReadIdentity(JsonElement root)
    {
        var jobId = CheckJobId(root) is null ? root.GetProperty("jobId").GetString() : null;
        var correlationId = root.TryGetProperty("correlationId", out var c) && c.ValueKind == JsonValueKind.String ? SafeString(c) : null;
        var image = CheckImage(root) is null ? ReadImage(root.GetProperty("image")) : null;
        return new RequestIdentity(jobId, correlationId, image);
    }

    /// <summary>Finds top-level <c>jobId</c> and <c>correlationId</c> strings in JSON that may be broken further on.</summary>
    public static RequestIdentity ScanIdentity(ReadOnlySpan<byte> utf8Json)
    {
        string? jobId = null, correlationId = null;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
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

                if (isJobId && reader.ValueSpan.Length <= ScoringRequestParser.MaxJobIdLength)
                {
                    jobId = reader.GetString();
                }
                else if (isCorrelationId)
                {
                    correlationId = reader.GetString();
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

        return jobId.Length > ScoringRequestParser.MaxJobIdLength
            ? $"jobId is {jobId.Length} characters; the limit is {ScoringRequestParser.MaxJobIdLength}."
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

        var problem = CheckOptionalString(image, "uri", "image.") ?? CheckOptionalString(image, "path", "image.");
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

        return hasUri && !Uri.TryCreate(reference.Uri, UriKind.Absolute, out _) ? $"image.uri '{reference.Uri}' is not an absolute URI." : null;
    }

    public static string? CheckOptionalString(JsonElement parent, string name, string prefix = "")
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return $"{prefix}{name} must be a string; it is a JSON {Kind(element)}.";
        }

        return SafeString(element) is null ? $"{prefix}{name} is not valid Unicode text." : null;
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

    public static string? ReadAttributes(JsonElement root, out IReadOnlyDictionary<string, string>? attributes)
    {
        attributes = null;
        if (!root.TryGetProperty("attributes", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"attributes must be an object of strings; it is a JSON {Kind(element)}.";
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (map.Count == ScoringRequestParser.MaxAttributes)
            {
                return $"attributes has more than {ScoringRequestParser.MaxAttributes} entries.";
            }

            if (property.Value.ValueKind != JsonValueKind.String || SafeString(property.Value) is not { } value)
            {
                return $"attributes.{property.Name} must be a string; it is a JSON {Kind(property.Value)}.";
            }

            map[property.Name] = value;
        }

        attributes = map;
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
            return $"thresholds.{name} must be a finite number; it is {element.GetRawText()}.";
        }

        value = number;
        return null;
    }

    private static ImageReference ReadImage(JsonElement image) => new(
        image.TryGetProperty("uri", out var uri) && uri.ValueKind == JsonValueKind.String ? SafeString(uri) : null,
        image.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String ? SafeString(path) : null);

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
