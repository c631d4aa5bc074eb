namespace IpIqa.Inference.Scoring;

/// <summary>A preprocessed image (a pooled buffer) and its prompt's token ids, ready for a batch.</summary>
internal sealed record PreparedItem(float[] Pixels, long[] Ids);
