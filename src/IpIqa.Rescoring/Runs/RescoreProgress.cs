namespace IpIqa.Rescoring;

/// <summary>Counts of a run so far: items listed, processed now, skipped (done before), failed, and bytes listed.</summary>
public sealed record RescoreProgress(long Listed, long Processed, long Skipped, long Failed, long Bytes);
