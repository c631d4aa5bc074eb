using System.ComponentModel.DataAnnotations;

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

    /// <summary>Messages held at once; enough to fill GPU batches.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentMessages { get; init; } = 64;

    [Range(0, 10_000)]
    public int PrefetchCount { get; init; }

    /// <summary>How long a message's lock is renewed while it waits or is scored.</summary>
    public TimeSpan MaxLockRenewalDuration { get; init; } = TimeSpan.FromMinutes(5);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
