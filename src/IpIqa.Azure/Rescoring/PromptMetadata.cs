namespace IpIqa.Azure.Rescoring;

/// <summary>
/// Blob metadata values must be ASCII, so a prompt with other characters is stored URL-encoded
/// (<c>Uri.EscapeDataString</c>). A value is decoded when it holds a <c>%XX</c> escape; plain
/// ASCII prompts read as they are.
/// </summary>
public static class PromptMetadata
{
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
}
