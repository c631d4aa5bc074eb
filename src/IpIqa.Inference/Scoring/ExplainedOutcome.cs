using IpIqa.Core.Jobs;

namespace IpIqa.Inference.Scoring;

/// <summary>A scorer outcome and, when the item scored, its <see cref="AttentionMap"/>.</summary>
public sealed record ExplainedOutcome(ScorerOutcome Outcome, AttentionMap? Attention);
