using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;

namespace IpIqa.Training.Evaluation;

/// <summary>
/// The attribute-swap check on a synthetic set (<c>ipiqa-train synth</c>): each image drawn as its prompt says
/// (<c>adj2</c> = aligned) is scored with its own prompt and with prompts that differ in one attribute only
/// (shape, colour, count, position, style) or in everything (a random other prompt). A model that reads the
/// prompt scores its own prompt higher; one that ignores the prompt wins half the pairs.
/// </summary>
public static class AttributeSwapCheck
{
    /// <summary>An image of a synthetic set with the scene its prompt describes and its quality controls.</summary>
    public sealed record LabelledImage(IqaSample Sample, SceneSpec Scene, QualityControls Quality);

    /// <summary>
    /// The images of <paramref name="samples"/> that <paramref name="tablePath"/> (a synth <c>data.csv</c>) marks
    /// as aligned. Throws <see cref="InvalidDataException"/> when the table is not one that synth wrote.
    /// </summary>
    public static IReadOnlyList<LabelledImage> AlignedImages(IReadOnlyList<IqaSample> samples, string tablePath)
    {
        var labels = SynthTableLabels.Read(tablePath, "the attribute-swap check");
        var images = new List<LabelledImage>();
        foreach (var sample in samples)
        {
            if (labels.TryGetValue(Path.GetFileName(sample.ImagePath), out var label) && label.Alignment == "aligned"
                && SyntheticLabels.ParsePrompt(sample.Prompt) is { } scene && SyntheticLabels.ParseQuality(label.Quality) is { } quality)
            {
                images.Add(new LabelledImage(sample, scene, quality));
            }
        }

        return images.Count > 0 && images.Select(i => i.Sample.Prompt).Distinct(StringComparer.Ordinal).Skip(1).Any()
            ? images
            : throw new InvalidDataException($"{tablePath}: the attribute-swap check needs aligned images of at least two prompts of the synthetic grammar; found {images.Count} images.");
    }

    /// <summary>Six pairs per image, one per <see cref="SwapAttribute"/>, drawn with <paramref name="seed"/>.</summary>
    public static IReadOnlyList<SwapPair> Pairs(IReadOnlyList<LabelledImage> images, int seed)
    {
        ArgumentNullException.ThrowIfNull(images);
        var prompts = images.Select(i => i.Scene).DistinctBy(s => s.ToPrompt()).OrderBy(s => s.ToPrompt(), StringComparer.Ordinal).ToArray();
        var random = new Random(seed);
        var pairs = new List<SwapPair>(images.Count * 6);
        foreach (var image in images)
        {
            var scene = image.Scene;
            foreach (var attribute in Enum.GetValues<SwapAttribute>())
            {
                var swapped = attribute switch
                {
                    SwapAttribute.Shape => scene with { Shape = PromptGrammar.PickOther(random, Enum.GetValues<ShapeKind>(), scene.Shape) },
                    SwapAttribute.Colour => scene with { Color = PromptGrammar.PickOther(random, SceneColor.Palette, scene.Color) },
                    SwapAttribute.Count => scene with { Count = PromptGrammar.Pick(random, Enumerable.Range(1, PromptGrammar.MaxCount).Where(c => Math.Abs(c - scene.Count) >= 2).ToArray()) },
                    SwapAttribute.Position => scene with { Position = PromptGrammar.PickOther(random, Enum.GetValues<ScenePosition>(), scene.Position) },
                    SwapAttribute.Style => scene with { Style = PromptGrammar.PickOther(random, Enum.GetValues<RenderStyle>(), scene.Style) },
                    _ => PromptGrammar.PickOther(random, prompts, scene),
                };
                pairs.Add(new SwapPair(image.Sample, attribute, swapped.ToPrompt(), FormulaGap(scene, swapped, image.Quality)));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Scores each image with its own prompt and the six swapped prompts through <paramref name="scoreAlignment"/>
    /// (alignment per pair, null where a pair could not be scored) and summarises by attribute.
    /// </summary>
    public static async Task<IReadOnlyList<SwapRow>> RunAsync(
        IReadOnlyList<LabelledImage> images,
        Func<IReadOnlyList<(IqaSample Sample, string Prompt)>, CancellationToken, Task<IReadOnlyList<double?>>> scoreAlignment,
        int seed,
        double gate,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scoreAlignment);
        var pairs = Pairs(images, seed);
        var scores = await scoreAlignment([.. images.Select(i => (i.Sample, i.Sample.Prompt)), .. pairs.Select(p => (p.Sample, p.Prompt))], cancellationToken).ConfigureAwait(false);
        var matched = images.Select((image, i) => (image.Sample, Score: scores[i])).ToDictionary(x => x.Sample, x => x.Score);
        var scored = pairs.Select((pair, i) => (Pair: pair, Matched: matched[pair.Sample], Swapped: scores[images.Count + i]))
            .Where(x => x.Matched is not null && x.Swapped is not null)
            .Select(x => (x.Pair, x.Matched!.Value, x.Swapped!.Value))
            .ToArray();
        return Summarize(scored, gate);
    }

    /// <summary>The generator's true alignment of an image that shows <paramref name="scene"/> for its own prompt, minus that for <paramref name="prompt"/>.</summary>
    public static double FormulaGap(SceneSpec scene, SceneSpec prompt, QualityControls quality) =>
        SyntheticMos.Alignment(AlignmentControls.None, quality) - SyntheticMos.Alignment(SyntheticLabels.Deviation(scene, prompt), quality);

    /// <summary>One row per attribute present, in <see cref="SwapAttribute"/> order, from (pair, matched alignment, swapped alignment).</summary>
    public static IReadOnlyList<SwapRow> Summarize(IReadOnlyList<(SwapPair Pair, double Matched, double Swapped)> scored, double gate) =>
        scored.GroupBy(s => s.Pair.Attribute).OrderBy(g => g.Key).Select(g => new SwapRow(
            g.Key,
            g.Count(),
            g.Average(s => s.Matched > s.Swapped ? 1.0 : s.Matched == s.Swapped ? 0.5 : 0.0),
            g.Average(s => s.Matched - s.Swapped),
            g.Average(s => s.Swapped >= gate ? 1.0 : 0.0),
            g.Average(s => s.Pair.FormulaGap))).ToArray();
}
