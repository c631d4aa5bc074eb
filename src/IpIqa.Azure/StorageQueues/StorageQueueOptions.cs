using System.ComponentModel.DataAnnotations;
using IpIqa.Core.Batching;

namespace IpIqa.Azure.StorageQueues;

/// <summary>The Storage Queue transport. Section <c>IpIqa:StorageQueue</c>.</summary>
public sealed record StorageQueueOptions
{
    public const string SectionName = "IpIqa:StorageQueue";

    /// <summary><c>https://ACCOUNT.queue.core.windows.net</c>; authenticates with the token credential.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary>A connection string, for development and tests only (Azurite).</summary>
    public string? ConnectionString { get; init; }

    [Required(AllowEmptyStrings = false)]
    public string QueueName { get; init; } = "ipiqa-jobs";

    [Required(AllowEmptyStrings = false)]
    public string PoisonQueueName { get; init; } = "ipiqa-jobs-poison";

    /// <summary>Lease on a received message; renewed at half-time while the job runs.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries after which a job that still fails goes to the poison queue.</summary>
    [Range(1, 1000)]
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>
    /// Messages held at once. 0 (the default) derives it at start from the batch size, so that batches
    /// fill: <see cref="BatchPipeline.MessagesToFill"/> of <c>IpIqa:Batching:MaxBatchSize</c>.
    /// Settable so that the derived value can be filled in after binding.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxConcurrentMessages { get; set; }

    /// <summary><see cref="MaxConcurrentMessages"/>; while it is 0 (not derived yet), what fills batches of the default size.</summary>
    public int MessagesToHold => MaxConcurrentMessages > 0 ? MaxConcurrentMessages : BatchPipeline.MessagesToFill(new DynamicBatcherOptions().MaxBatchSize);

    /// <summary>Longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
