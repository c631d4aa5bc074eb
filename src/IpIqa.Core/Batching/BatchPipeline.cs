namespace IpIqa.Core.Batching;

/// <summary>
/// How many jobs a transport must hold at once for the batcher to run full batches. While one batch
/// runs on the device, the next must already be queued in full, and a third batch's worth of jobs is
/// on its way: settling, receiving, fetching and decoding. Holding fewer leaves batches part-full
/// (64 messages with <see cref="DynamicBatcherOptions.MaxBatchSize"/> 64 gave a mean batch of 31).
/// </summary>
public static class BatchPipeline
{
    /// <summary>Batches' worth of jobs in flight: one on the device, one queued, one on its way.</summary>
    public const int Depth = 3;

    /// <summary>The messages to hold so that batches of <paramref name="maxBatchSize"/> fill: <see cref="Depth"/> batches.</summary>
    public static int MessagesToFill(int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        return checked(maxBatchSize * Depth);
    }

    /// <summary>
    /// Why <paramref name="held"/> messages (setting <paramref name="key"/>) cannot keep batches of
    /// <paramref name="batching"/> full, or null when they can.
    /// </summary>
    public static string? WhyBatchesCannotFill(string key, int held, DynamicBatcherOptions batching)
    {
        ArgumentNullException.ThrowIfNull(batching);
        if (batching.QueueCapacity < batching.MaxBatchSize)
        {
            return $"IpIqa:Batching:QueueCapacity {batching.QueueCapacity} is below IpIqa:Batching:MaxBatchSize {batching.MaxBatchSize}: "
                + "a batch cannot be queued in full while the one before it runs.";
        }

        var needed = MessagesToFill(batching.MaxBatchSize);
        if (held >= needed)
        {
            return null;
        }

        return $"{key} is {held}, below {needed} ({Depth} × IpIqa:Batching:MaxBatchSize {batching.MaxBatchSize}): "
            + $"while one batch runs, the next needs {batching.MaxBatchSize} jobs queued and more on their way, so batches run part-full. "
            + $"Leave {key} unset (0) to hold {needed}.";
    }
}
