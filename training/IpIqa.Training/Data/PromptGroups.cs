using System.Text.RegularExpressions;

namespace IpIqa.Training.Data;

/// <summary>How samples are grouped by prompt, so that a split keeps each prompt on one side.</summary>
public static partial class PromptGroups
{
    /// <summary>
    /// AGIQA-3k names end in the prompt index (<c>midjourney_lowstep_002.jpg</c>,
    /// <c>AttnGAN_normal_001.png</c>): every generator and setting shares it for one prompt.
    /// Null when the name has no trailing number.
    /// </summary>
    public static string? FromTrailingIndex(string imageName)
    {
        var stem = Path.GetFileNameWithoutExtension(imageName);
        var match = TrailingNumber().Match(stem);
        return match.Success ? "p" + match.Groups[1].Value.TrimStart('0').PadLeft(1, '0') : null;
    }

    /// <summary>Other sets group by the prompt text: case-folded, with whitespace collapsed.</summary>
    public static string FromText(string prompt) =>
        "t:" + string.Join(' ', prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    [GeneratedRegex(@"(?:^|[^0-9])([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingNumber();
}
