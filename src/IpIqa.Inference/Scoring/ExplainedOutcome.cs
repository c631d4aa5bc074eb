using IpIqa.Core.Jobs;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// A scorer outcome and, when the item scored, its <see cref="AttentionMap"/>, and its image features when they were
/// asked for (<see cref="ScoringEngine.ScorePromptsAsync"/> scores them against other prompts).
/// </summary>
public sealed record ExplainedOutcome(ScorerOutcome Outcome, AttentionMap? Attention, ImageFeatures? Features = null);
