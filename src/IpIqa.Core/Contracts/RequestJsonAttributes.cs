using System.Text.Json;

namespace IpIqa.Core.Contracts;

/// <summary>Reads a request's <c>attributes</c>: an object of strings within the caps of <see cref="RequestLimits"/>.</summary>
internal static class RequestJsonAttributes
{
    /// <summary>Null when <c>attributes</c> is absent, null or valid (then <paramref name="attributes"/> holds it), else a message naming the problem.</summary>
    public static string? Read(JsonElement root, out IReadOnlyDictionary<string, string>? attributes)
    {
        attributes = null;
        if (!root.TryGetProperty("attributes", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"attributes must be an object of strings; it is a JSON {RequestJsonFields.Kind(element)}.";
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (map.Count == RequestLimits.MaxAttributes)
            {
                return $"attributes has more than {RequestLimits.MaxAttributes} entries.";
            }

            if (AttributeName(property) is not { } name)
            {
                return "attributes has a key that is not valid Unicode text.";
            }

            if (name.Length > RequestLimits.MaxAttributeKeyLength)
            {
                return $"attributes key {RequestJsonFields.Quote(name)} is {name.Length} characters; the limit is {RequestLimits.MaxAttributeKeyLength}.";
            }

            if (property.Value.ValueKind != JsonValueKind.String || RequestJsonFields.SafeString(property.Value) is not { } value)
            {
                return property.Value.ValueKind == JsonValueKind.String
                    ? $"attributes.{name} is not valid Unicode text."
                    : $"attributes.{name} must be a string; it is a JSON {RequestJsonFields.Kind(property.Value)}.";
            }

            if (value.Length > RequestLimits.MaxAttributeValueLength)
            {
                return $"attributes.{name} is {value.Length} characters; the limit is {RequestLimits.MaxAttributeValueLength}.";
            }

            total += name.Length + value.Length;
            if (total > RequestLimits.MaxAttributesLength)
            {
                return $"attributes hold more than {RequestLimits.MaxAttributesLength} characters of keys and values.";
            }

            map[name] = value;
        }

        attributes = map;
        return null;
    }

    /// <summary>A property's name, or null when it holds an unpaired surrogate escape.</summary>
    private static string? AttributeName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
