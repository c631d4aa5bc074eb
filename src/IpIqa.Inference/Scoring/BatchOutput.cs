using IpIqa.Core.Contracts;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Scoring;

/// <summary>One item's scores and the run of the batch it was in, with its attention map (and image features) when the item asked for them.</summary>
internal sealed record BatchOutput(Scores Scores, TimeSpan Inference, int BatchSize, AttentionMap? Attention = null, ImageFeatures? Features = null);
