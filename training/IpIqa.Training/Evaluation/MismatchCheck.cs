using IpIqa.Training.Data;

namespace IpIqa.Training.Evaluation;

/// <summary>
/// The prompt-swap check: for each image rated as aligned (alignment MOS at least a threshold), its own
/// prompt and one prompt of another prompt group, drawn with a seed. The share of pairs where the model
/// scores the matching prompt's alignment higher says whether it reads the prompt at all (chance: 0.5).
/// </summary>
public static class MismatchCheck
{
    public static IReadOnlyList<(IqaSample Sample, string Mismatched)> Pairs(IReadOnlyList<IqaSample> samples, double minAlignment, int seed)
    {
        var prompts = samples.GroupBy(s => s.PromptGroup, StringComparer.Ordinal).Select(g => (Group: g.Key, Prompt: g.First().Prompt)).OrderBy(p => p.Group, StringComparer.Ordinal).ToArray();
        if (prompts.Length < 2)
        {
            throw new InvalidDataException("The prompt-swap check needs at least two prompts.");
        }

        var random = new Random(seed);
        var pairs = new List<(IqaSample, string)>();
        foreach (var sample in samples.Where(s => s.Alignment >= minAlignment))
        {
            string other;
            do
            {
                other = prompts[random.Next(prompts.Length)].Group;
            }
            while (other == sample.PromptGroup);
            pairs.Add((sample, prompts.First(p => p.Group == other).Prompt));
        }

        return pairs;
    }

    /// <summary>Share of pairs where alignment(matching) &gt; alignment(mismatched); ties count half.</summary>
    public static double Share(IReadOnlyList<(double Matching, double Mismatched)> scores) =>
        scores.Count == 0 ? double.NaN : scores.Sum(s => s.Matching > s.Mismatched ? 1.0 : s.Matching == s.Mismatched ? 0.5 : 0.0) / scores.Count;
}
