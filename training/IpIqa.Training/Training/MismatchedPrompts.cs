using IpIqa.Training.Data;

namespace IpIqa.Training.Training;

/// <summary>
/// Mismatched-prompt negatives for fine-tuning: each sample of a batch, with probability
/// <paramref name="probability"/>, is paired with the prompt of a sample from another prompt group, and
/// its alignment target becomes <paramref name="alignment"/> (or its own alignment MOS where that is
/// lower); the quality target is unchanged. The draws are seeded by <paramref name="seed"/> and the
/// batch's sample indices, so a run (or a resumed run) with the same seed and batch order draws the same.
/// A sample not drawn for a random other prompt may be drawn for an attribute swap (<see cref="AttributeSwapNegatives"/>).
/// </summary>
public sealed class MismatchedPrompts
{
    private readonly IReadOnlyList<IqaSample> _samples;
    private readonly double _probability;
    private readonly double _alignment;
    private readonly int _seed;
    private readonly AttributeSwapNegatives? _swaps;

    public MismatchedPrompts(IReadOnlyList<IqaSample> samples, double probability, double alignment, int seed, AttributeSwapNegatives? swaps = null)
    {
        if (probability is < 0 or >= 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "mismatch_probability must lie in [0, 1).");
        }

        if (!double.IsFinite(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "mismatch_alignment must be finite.");
        }

        if (probability > 0 && samples.Select(s => s.PromptGroup).Distinct(StringComparer.Ordinal).Take(2).Count() < 2)
        {
            throw new InvalidDataException("mismatch_probability > 0 needs at least two prompt groups in the training split.");
        }

        _samples = samples;
        _probability = probability;
        _alignment = alignment;
        _seed = seed;
        _swaps = swaps;
    }

    /// <summary>The alignment target of a mismatched pair.</summary>
    public double Alignment => _alignment;

    /// <summary>The prompts and alignment targets of one batch of sample indices.</summary>
    public PromptDraw Draw(int[] batch)
    {
        var random = new Random(SeedMix.Combine(_seed, batch));
        var prompts = new string[batch.Length];
        var alignment = new double[batch.Length];
        var mismatched = new bool[batch.Length];
        for (var row = 0; row < batch.Length; row++)
        {
            var sample = _samples[batch[row]];
            var own = sample.Alignment ?? throw new InvalidDataException($"{sample.ImagePath}: mismatched prompts need an alignment MOS; the sample has none.");
            prompts[row] = sample.Prompt;
            alignment[row] = own;
            if (_probability > 0 && random.NextDouble() < _probability)
            {
                var other = OtherGroup(sample, random);
                prompts[row] = other.Prompt;
                alignment[row] = Math.Min(own, _alignment);
                mismatched[row] = true;
            }
            else if (_swaps?.TryDraw(sample, random) is { } swap)
            {
                prompts[row] = swap.Prompt;
                alignment[row] = swap.Alignment;
                mismatched[row] = true;
            }
        }

        return new PromptDraw(prompts, alignment, mismatched);
    }

    private IqaSample OtherGroup(IqaSample sample, Random random)
    {
        while (true)
        {
            var other = _samples[random.Next(_samples.Count)];
            if (!string.Equals(other.PromptGroup, sample.PromptGroup, StringComparison.Ordinal))
            {
                return other;
            }
        }
    }
}
