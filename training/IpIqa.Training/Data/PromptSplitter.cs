namespace IpIqa.Training.Data;

/// <summary>
/// Prompt-disjoint splits: the prompt groups are shuffled with a seed derived from the protocol's seed and
/// the repeat index, and whole groups go to test, validation or train. Deterministic for a given seed
/// and independent of the sample order in the file.
/// </summary>
public static class PromptSplitter
{
    public static IReadOnlyList<DatasetSplit> Split(IReadOnlyList<IqaSample> samples, SplitProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.Validate();
        var groups = samples.Select(s => s.PromptGroup).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var needed = protocol.ValidationFraction > 0 ? 3 : 2;
        if (groups.Length < needed)
        {
            throw new ArgumentException($"A prompt-disjoint split needs at least {needed} prompt groups; the data set has {groups.Length}.", nameof(samples));
        }

        var splits = new List<DatasetSplit>(protocol.Repeats);
        for (var repeat = 0; repeat < protocol.Repeats; repeat++)
        {
            var order = (string[])groups.Clone();
            new Random(SeedMix.Combine(protocol.Seed, repeat)).Shuffle(order);
            var testCount = Math.Clamp((int)Math.Round(groups.Length * protocol.TestFraction), 1, groups.Length - needed + 1);
            var rest = groups.Length - testCount;
            var validationCount = protocol.ValidationFraction > 0
                ? Math.Clamp((int)Math.Round(rest * protocol.ValidationFraction), 1, rest - 1)
                : 0;
            var test = order.Take(testCount).ToHashSet(StringComparer.Ordinal);
            var validation = order.Skip(testCount).Take(validationCount).ToHashSet(StringComparer.Ordinal);
            splits.Add(new DatasetSplit(
                repeat,
                samples.Where(s => !test.Contains(s.PromptGroup) && !validation.Contains(s.PromptGroup)).ToArray(),
                samples.Where(s => validation.Contains(s.PromptGroup)).ToArray(),
                samples.Where(s => test.Contains(s.PromptGroup)).ToArray()));
        }

        return splits;
    }
}
