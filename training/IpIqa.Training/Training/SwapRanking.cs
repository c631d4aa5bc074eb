using IpIqa.Model;
using IpIqa.Training.Data;
using IpIqa.Training.Evaluation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace IpIqa.Training.Training;

/// <summary>
/// The swap-ranking term of fine-tuning on a synthetic set (<c>swap_ranking_weight</c>, #14): each image of a batch
/// drawn as its prompt says is scored with its own prompt and with <see cref="HardNegativeCaptions.PerImage"/> prompts
/// that differ in one attribute (shape, colour, count, position, style), and the own prompt's alignment must beat
/// each swapped one's by <paramref name="margin"/> times the generator formula's gap for that swap
/// (<see cref="AttributeSwapCheck.FormulaGap"/>): a hinge, mean over the pairs. The regression loss gives every pair
/// its own target; this term trains the comparison the attribute-swap check measures. Draws are seeded by
/// <paramref name="seed"/> and the batch's sample indices.
/// </summary>
public sealed class SwapRanking(IReadOnlyDictionary<string, AttributeSwapCheck.LabelledImage> images, double margin, int seed)
{
    /// <summary>Prompts per ranked image: its own, then one per swapped attribute.</summary>
    public const int PromptsPerImage = HardNegativeCaptions.PerImage + 1;

    /// <summary>How many training images can be ranked (those drawn as their prompt says).</summary>
    public int Count => images.Count;

    /// <summary>The aligned images of <paramref name="train"/>, labelled from the synth table <paramref name="tablePath"/>.</summary>
    public static SwapRanking Load(IReadOnlyList<IqaSample> train, string tablePath, double margin, int seed) =>
        new(AttributeSwapCheck.AlignedImages(train, tablePath).ToDictionary(i => i.Sample.ImagePath, StringComparer.Ordinal), margin, seed);

    /// <summary>
    /// The ranked images of a batch: <c>Rows</c> (positions in <paramref name="batch"/>), <see cref="PromptsPerImage"/>
    /// prompts per row (own first) and <see cref="HardNegativeCaptions.PerImage"/> margins per row. Empty when no
    /// image of the batch is drawn as its prompt says.
    /// </summary>
    public SwapRankingDraw Draw(IReadOnlyList<IqaSample> samples, int[] batch)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(batch);
        var random = new Random(SeedMix.Combine(seed, batch));
        var rows = new List<long>();
        var prompts = new List<string>();
        var margins = new List<float>();
        for (var row = 0; row < batch.Length; row++)
        {
            if (!images.TryGetValue(samples[batch[row]].ImagePath, out var image))
            {
                continue;
            }

            rows.Add(row);
            prompts.Add(image.Scene.ToPrompt());
            foreach (var swapped in HardNegativeCaptions.Swaps(image.Scene, random))
            {
                prompts.Add(swapped.ToPrompt());
                margins.Add((float)(margin * AttributeSwapCheck.FormulaGap(image.Scene, swapped, image.Quality)));
            }
        }

        return new SwapRankingDraw([.. rows], [.. prompts], [.. margins]);
    }

    /// <summary>
    /// The hinge: <paramref name="alignment"/> holds R x <see cref="PromptsPerImage"/> alignment scores, row-major,
    /// own prompt first; the loss is the mean of max(0, margin - (own - swapped)) over the R x 5 pairs.
    /// </summary>
    public static Tensor Loss(Tensor alignment, float[] margins)
    {
        ArgumentNullException.ThrowIfNull(alignment);
        ArgumentNullException.ThrowIfNull(margins);
        using var scope = NewDisposeScope();
        var scores = alignment.reshape(-1, PromptsPerImage);
        var gaps = scores.narrow(1, 0, 1).Plus(scores.narrow(1, 1, HardNegativeCaptions.PerImage).neg());
        var wanted = tensor(margins, [margins.Length / HardNegativeCaptions.PerImage, HardNegativeCaptions.PerImage]).to(alignment.device);
        return relu(wanted.Plus(gaps.neg())).mean().MoveToOuterDisposeScope();
    }
}
