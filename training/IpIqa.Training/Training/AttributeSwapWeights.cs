namespace IpIqa.Training.Training;

/// <summary>
/// The <c>attribute_swap_weights</c> of fine-tuning (#14): how often each attribute is the one an attribute-swap
/// negative changes, in the order of <see cref="HardNegativeCaptions.Swaps"/>. Weighting toward shape and count
/// spends the negatives on the attributes the model reads worst.
/// </summary>
public static class AttributeSwapWeights
{
    /// <summary>The keys, in the order of <see cref="HardNegativeCaptions.Swaps"/>.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["shape", "colour", "count", "position", "style"];

    /// <summary>
    /// The weights in key order (a key left out weighs 1), or null for <paramref name="weights"/> null (all equal).
    /// Throws an <see cref="InvalidDataException"/> for an unknown key, a negative or non-finite weight, or all zero.
    /// </summary>
    public static double[]? Resolve(IReadOnlyDictionary<string, double>? weights)
    {
        if (weights is null)
        {
            return null;
        }

        foreach (var (key, value) in weights)
        {
            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"training config: attribute_swap_weights has an unknown key '{key}'; the keys are {string.Join(", ", Keys)}.");
            }

            if (value < 0 || !double.IsFinite(value))
            {
                throw new InvalidDataException($"training config: attribute_swap_weights.{key} = {value} must be finite and not negative.");
            }
        }

        var resolved = Keys.Select(k => weights.TryGetValue(k, out var w) ? w : 1.0).ToArray();
        return resolved.Sum() > 0 ? resolved
            : throw new InvalidDataException("training config: attribute_swap_weights are all 0; give at least one attribute a positive weight.");
    }

    /// <summary>An index into <see cref="Keys"/> drawn with probability proportional to <paramref name="weights"/>.</summary>
    public static int Draw(IReadOnlyList<double> weights, Random random)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(random);
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Count; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return Enumerable.Range(0, weights.Count).Last(i => weights[i] > 0);
    }
}
