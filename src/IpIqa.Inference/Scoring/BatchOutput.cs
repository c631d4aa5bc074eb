using IpIqa.Core.Contracts;

namespace IpIqa.Inference.Scoring;

/// <summary>One item's scores and the run of the batch it was in, with its attention map when the item asked for it.</summary>
internal sealed record BatchOutput(Scores Scores, TimeSpan Inference, int BatchSize, AttentionMap? Attention = null);
