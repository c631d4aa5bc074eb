namespace IpIqa.Training.Evaluation;

/// <summary>
/// One row of the attribute-swap table: over <see cref="Pairs"/> images, the share where the matched prompt
/// scores a higher alignment (<see cref="Wins"/>, ties half), the mean of matched minus swapped alignment,
/// the share of swapped prompts that still score at least the gate, and the mean of the formula's gap.
/// </summary>
public sealed record SwapRow(SwapAttribute Attribute, int Pairs, double Wins, double MeanGap, double StillPassing, double FormulaGap)
{
    /// <summary>The goal of issue #14: at least 95% wins, and at least half the formula's gap.</summary>
    public bool MeetsGoal => Wins >= 0.95 && MeanGap >= FormulaGap / 2;

    public string Label => Attribute switch
    {
        SwapAttribute.RandomPrompt => "random prompt",
        SwapAttribute.Count => "count (2-3)",
        _ => Attribute.ToString().ToLowerInvariant(),
    };
}
