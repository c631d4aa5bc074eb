namespace IpIqa.Core.Jobs;

/// <summary>A scorer outcome and, when the item scored, its <see cref="Explanation"/>.</summary>
public sealed record ExplainedScore(ScorerOutcome Outcome, Explanation? Explanation);
