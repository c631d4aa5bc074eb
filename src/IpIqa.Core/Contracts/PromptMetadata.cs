namespace IpIqa.Core.Contracts;

/// <summary>
/// How an image's prompt is stored in blob metadata, for nightly rescoring and for blob events:
/// metadata values must be ASCII, so a prompt with other characters is stored URL-encoded
/// (<c>Uri.EscapeDataString</c>). A value is decoded when it holds a <c>%XX</c> escape; plain
/// ASCII prompts read as they are.
/// </summary>
public static class PromptMetadata
{
    /// <summary>The metadata key that holds the prompt unless configured otherwise.</summary>
    public const string DefaultKey = "prompt";

    public static string Encode(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return prompt.All(c => c is >= ' ' and <= '~' && c != '%') ? prompt : Uri.EscapeDataString(prompt);
    }

    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value.Trim();
        }

        try
        {
            return Uri.UnescapeDataString(value).Trim();
        }
        catch (UriFormatException)
        {
            return value.Trim();
        }
    }

    /// <summary>
    /// The decoded prompt under <paramref name="key"/> (metadata names are case-insensitive), or
    /// null when <paramref name="metadata"/> has no such key or its value is empty or white space.
    /// </summary>
    public static string? Find(IEnumerable<KeyValuePair<string, string>>? metadata, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? prompt = null;
        foreach (var (name, value) in metadata ?? [])
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                prompt = Decode(value);
            }
        }

        return string.IsNullOrWhiteSpace(prompt) ? null : prompt;
    }
}
