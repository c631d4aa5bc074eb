namespace IpIqa.Inference.Scoring;

/// <summary>
/// A preprocessed image (a pooled buffer) and its prompt's token ids, ready for a batch;
/// <paramref name="Explain"/> asks for its attention map.
/// </summary>
internal sealed record PreparedItem(float[] Pixels, long[] Ids, bool Explain = false);
