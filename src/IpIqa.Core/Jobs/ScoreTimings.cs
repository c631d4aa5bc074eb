namespace IpIqa.Core.Jobs;

/// <summary>
/// Where one item's time went: reading the file, decoding and preprocessing, waiting in the
/// batch queue, and the model run of its batch (shared by the batch's <see cref="BatchSize"/> items).
/// </summary>
public sealed record ScoreTimings(TimeSpan Read, TimeSpan Preprocess, TimeSpan Queue, TimeSpan Inference, TimeSpan Total, int BatchSize)
{
    public static ScoreTimings None { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0);
}
