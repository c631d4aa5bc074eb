namespace IpIqa.Inference.Scoring;

/// <summary>
/// A preprocessed image (a pooled buffer) and its prompt's token ids, ready for a batch;
/// <paramref name="Explain"/> asks for its attention map, <paramref name="KeepFeatures"/> also for its image features
/// (only asked of a session with a head graph).
/// </summary>
internal sealed record PreparedItem(float[] Pixels, long[] Ids, bool Explain = false, bool KeepFeatures = false);
