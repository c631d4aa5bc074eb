using System.ComponentModel.DataAnnotations;
using IpIqa.Core.Batching;

namespace IpIqa.Azure.ServiceBus;

/// <summary>The Service Bus transport. Section <c>IpIqa:ServiceBus</c>.</summary>
public sealed record ServiceBusOptions
{
    public const string SectionName = "IpIqa:ServiceBus";

    /// <summary><c>NAME.servicebus.windows.net</c>; authenticates with the token credential (production).</summary>
    public string? FullyQualifiedNamespace { get; init; }

    /// <summary>A connection string, for development and tests only.</summary>
    public string? ConnectionString { get; init; }

    [Required(AllowEmptyStrings = false)]
    public string QueueName { get; init; } = "ipiqa-jobs";

    /// <summary>Where replies go when a request has no <c>ReplyTo</c>; none when empty.</summary>
    public string? ReplyQueueName { get; init; }

    /// <summary>
    /// Messages held at once. 0 (the default) derives it at start from the batch size, so that batches
    /// fill: <see cref="BatchPipeline.MessagesToFill"/> of <c>IpIqa:Batching:MaxBatchSize</c>.
    /// Settable so that the derived value can be filled in after binding.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxConcurrentMessages { get; set; }

    /// <summary><see cref="MaxConcurrentMessages"/>; while it is 0 (not derived yet), what fills batches of the default size.</summary>
    public int MessagesToHold => MaxConcurrentMessages > 0 ? MaxConcurrentMessages : BatchPipeline.MessagesToFill(new DynamicBatcherOptions().MaxBatchSize);

    [Range(0, 10_000)]
    public int PrefetchCount { get; init; }

    /// <summary>How long a message's lock is renewed while it waits or is scored.</summary>
    public TimeSpan MaxLockRenewalDuration { get; init; } = TimeSpan.FromMinutes(5);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
