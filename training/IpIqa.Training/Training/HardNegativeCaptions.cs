using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Evaluation;

namespace IpIqa.Training.Training;

/// <summary>
/// NegCLIP-style hard negative captions for <c>pretrain-clip</c> on a synthetic set (<c>ipiqa-train synth</c>;
/// Yuksekgonul et al., ICLR 2023): each image drawn as its prompt says gets <see cref="PerImage"/> extra
/// captions, its own prompt with ONE attribute changed (shape, colour, count, position, style, in that order),
/// that join the image-to-text softmax as negatives. In-batch negatives are other scenes, which almost always
/// differ in several attributes, so one easy cue (position, style) is enough to tell them apart; these are not.
/// The draws are seeded by the seed and the batch's sample indices.
/// </summary>
public sealed class HardNegativeCaptions(IReadOnlyDictionary<string, SceneSpec> scenes, int seed)
{
    /// <summary>Hard negative captions per image: one per swapped attribute.</summary>
    public const int PerImage = 5;

    /// <summary>How many images have a known scene (those drawn as their prompt says).</summary>
    public int Count => scenes.Count;

    /// <summary>
    /// The scenes of the images of <paramref name="samples"/> that the synth table <paramref name="tablePath"/> marks aligned.
    /// Throws <see cref="InvalidDataException"/> when the table is not one that synth wrote.
    /// </summary>
    public static HardNegativeCaptions Load(IReadOnlyList<IqaSample> samples, string tablePath, int seed) =>
        new(AttributeSwapCheck.AlignedImages(samples, tablePath).ToDictionary(i => i.Sample.ImagePath, i => i.Scene, StringComparer.Ordinal), seed);

    /// <summary>Whether <paramref name="sample"/> was drawn as its prompt says (only those get hard negatives).</summary>
    public bool Covers(IqaSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return scenes.ContainsKey(sample.ImagePath);
    }

    /// <summary><see cref="PerImage"/> captions per sample of <paramref name="batch"/>, row-major (sample, attribute).</summary>
    public string[] Draw(IReadOnlyList<IqaSample> samples, int[] batch)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(batch);
        var random = new Random(SeedMix.Combine(seed, batch));
        return batch.SelectMany(i => scenes.TryGetValue(samples[i].ImagePath, out var scene)
                ? Swaps(scene, random).Select(s => s.ToPrompt())
                : throw new InvalidDataException($"{samples[i].ImagePath}: hard negatives need an image drawn as its prompt says."))
            .ToArray();
    }

    /// <summary>The scene with one attribute changed, for each of shape, colour, count, position and style.</summary>
    public static IReadOnlyList<SceneSpec> Swaps(SceneSpec scene, Random random)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(random);
        return
        [
            scene with { Shape = PromptGrammar.PickOther(random, Enum.GetValues<ShapeKind>(), scene.Shape) },
            scene with { Color = PromptGrammar.PickOther(random, SceneColor.Palette, scene.Color) },
            scene with { Count = PromptGrammar.PickOther(random, Enumerable.Range(1, PromptGrammar.MaxCount).ToArray(), scene.Count) },
            scene with { Position = PromptGrammar.PickOther(random, Enum.GetValues<ScenePosition>(), scene.Position) },
            scene with { Style = PromptGrammar.PickOther(random, Enum.GetValues<RenderStyle>(), scene.Style) },
        ];
    }
}
