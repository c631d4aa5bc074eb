using System.ComponentModel.DataAnnotations;

namespace IpIqa.Core.Batching;

/// <summary>
/// The dynamic batcher's knobs, the same three Triton has: the largest batch, how long the oldest
/// queued item may wait for a batch to fill, and how many items may queue before callers wait.
/// </summary>
public sealed record DynamicBatcherOptions
{
    /// <summary>Largest number of items handed to the batch handler at once.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>
    /// Longest time the oldest queued item waits for more items before a partial batch is run.
    /// <see cref="TimeSpan.Zero"/> runs whatever is queued at once.
    /// </summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Items that may wait in the queue; past this, callers wait (back-pressure).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; init; } = 256;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxBatchSize is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be between 1 and 4096.");
        }

        if (MaxQueueDelay < TimeSpan.Zero || MaxQueueDelay > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueueDelay), MaxQueueDelay, "MaxQueueDelay must be between 0 and 1 minute.");
        }

        if (QueueCapacity is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be between 1 and 1000000.");
        }
    }
}
