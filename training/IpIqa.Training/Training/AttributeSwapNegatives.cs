using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Evaluation;

namespace IpIqa.Training.Training;

/// <summary>
/// Hard negatives on a synthetic set (<c>ipiqa-train synth</c>): an image drawn as its prompt says is paired,
/// with probability <see cref="Probability"/>, with a prompt that differs in one attribute (shape, colour, count,
/// position or style, each equally likely), and its alignment target is the generator formula's value for the
/// swapped prompt and the image's own degradations (docs/synthetic-data.md), not a constant. With
/// <paramref name="weights"/> (<see cref="AttributeSwapWeights"/>), the swapped attribute is drawn in proportion to them.
/// </summary>
public sealed class AttributeSwapNegatives(IReadOnlyDictionary<string, AttributeSwapCheck.LabelledImage> images, double probability, IReadOnlyList<double>? weights = null)
{
    public double Probability => probability;

    /// <summary>How many training images can be swapped (those drawn as their prompt says).</summary>
    public int Count => images.Count;

    /// <summary>The aligned images of <paramref name="train"/>, labelled from the synth table <paramref name="tablePath"/>.</summary>
    public static AttributeSwapNegatives Load(IReadOnlyList<IqaSample> train, string tablePath, double probability, IReadOnlyList<double>? weights = null) =>
        new(AttributeSwapCheck.AlignedImages(train, tablePath).ToDictionary(i => i.Sample.ImagePath, StringComparer.Ordinal), probability, weights);

    /// <summary>A swapped prompt and its formula target, or null when the sample cannot be swapped or the draw says no.</summary>
    public (string Prompt, double Alignment)? TryDraw(IqaSample sample, Random random)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(random);
        if (!images.TryGetValue(sample.ImagePath, out var image) || random.NextDouble() >= probability)
        {
            return null;
        }

        var scene = image.Scene;
        var swaps = HardNegativeCaptions.Swaps(scene, random);
        var swapped = swaps[weights is null ? random.Next(HardNegativeCaptions.PerImage) : AttributeSwapWeights.Draw(weights, random)];
        return (swapped.ToPrompt(), SyntheticMos.Alignment(SyntheticLabels.Deviation(scene, swapped), image.Quality));
    }
}
