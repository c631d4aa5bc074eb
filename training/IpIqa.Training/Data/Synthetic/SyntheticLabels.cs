using System.Globalization;

namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// Reads back what <c>ipiqa-train synth</c> wrote in <c>data.csv</c>: the scene of a prompt text and the
/// quality controls of an <c>adj1</c> field. Both are the inverses of <see cref="SceneSpec.ToPrompt"/> and
/// <see cref="QualityControls.Describe"/>; anything else returns null.
/// </summary>
public static class SyntheticLabels
{
    private static readonly string[] CountWords = ["no", "one", "two", "three", "four"];

    private static readonly (string Text, ScenePosition Position)[] Positions =
    [
        ("on the left", ScenePosition.Left),
        ("on the right", ScenePosition.Right),
        ("at the top", ScenePosition.Top),
        ("at the bottom", ScenePosition.Bottom),
        ("in the center", ScenePosition.Center),
    ];

    /// <summary>The scene whose <see cref="SceneSpec.ToPrompt"/> is <paramref name="prompt"/>, or null.</summary>
    public static SceneSpec? ParsePrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var comma = prompt.LastIndexOf(", ", StringComparison.Ordinal);
        if (comma < 0 || !prompt.EndsWith(" style", StringComparison.Ordinal))
        {
            return null;
        }

        var styleText = prompt[(comma + 2)..^" style".Length];
        var style = Enum.GetValues<RenderStyle>().Where(s => s.ToString().Equals(styleText, StringComparison.OrdinalIgnoreCase)).Cast<RenderStyle?>().FirstOrDefault();
        var head = prompt[..comma];
        var position = Positions.Where(p => head.EndsWith(" " + p.Text, StringComparison.Ordinal)).Cast<(string Text, ScenePosition Position)?>().FirstOrDefault();
        if (style is null || position is null)
        {
            return null;
        }

        var words = head[..^(position.Value.Text.Length + 1)].Split(' ');
        if (words.Length != 3)
        {
            return null;
        }

        var count = Array.IndexOf(CountWords, words[0]);
        var color = SceneColor.Palette.FirstOrDefault(c => c.Name == words[1]);
        if (count < 1 || color is null)
        {
            return null;
        }

        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            var scene = new SceneSpec(shape, color, count, position.Value.Position, style.Value);
            if (scene.ToPrompt() == prompt)
            {
                return scene;
            }
        }

        return null;
    }

    /// <summary>The controls that <see cref="QualityControls.Describe"/> wrote as <paramref name="text"/>, or null.</summary>
    public static QualityControls? ParseQuality(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "clean")
        {
            return QualityControls.None;
        }

        var controls = QualityControls.None;
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            QualityControls? next = part[..colon] switch
            {
                "blur" => controls with { BlurSigma = value },
                "noise" => controls with { NoiseSigma = value },
                "jpeg" => controls with { JpegQuality = (int)value },
                "posterize" => controls with { PosterizeLevels = (int)value },
                "downscale" => controls with { DownscaleFactor = value },
                _ => null,
            };
            if (next is null)
            {
                return null;
            }

            controls = next;
        }

        return controls;
    }

    /// <summary>How an image that shows <paramref name="rendered"/> deviates from <paramref name="prompt"/>.</summary>
    public static AlignmentControls Deviation(SceneSpec rendered, SceneSpec prompt)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(prompt);
        return new AlignmentControls(
            WrongColor: rendered.Color != prompt.Color,
            WrongObject: rendered.Shape != prompt.Shape,
            CountError: rendered.Count - prompt.Count,
            WrongPosition: rendered.Position != prompt.Position,
            WrongStyle: rendered.Style != prompt.Style);
    }
}
