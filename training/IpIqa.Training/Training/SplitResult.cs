namespace IpIqa.Training.Training;

/// <summary>The held-out metrics of one split at its selected epoch, one entry per output (quality, alignment).</summary>
public sealed record SplitResult(int Split, int BestEpoch, IReadOnlyList<OutputMetrics> Outputs);
