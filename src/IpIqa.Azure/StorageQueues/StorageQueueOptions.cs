using System.ComponentModel.DataAnnotations;

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

    /// <summary>Messages held at once; enough to fill GPU batches.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentMessages { get; init; } = 64;

    /// <summary>Longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
