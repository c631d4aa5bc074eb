using IpIqa.Core.Jobs;

namespace IpIqa.Worker.Local;

/// <summary>A job read from the local jobs file or folder; settling records the outcome for the source.</summary>
public sealed class LocalReceivedJob(string messageId, ReadOnlyMemory<byte> body, DateTimeOffset enqueuedAt, int deliveryCount) : IReceivedJob
{
    public string MessageId { get; } = messageId;

    public ReadOnlyMemory<byte> Body { get; } = body;

    public int DeliveryCount { get; } = deliveryCount;

    public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;

    public string? ReplyTo => null;

    /// <summary>How the handler settled this delivery; null until it does.</summary>
    public JobOutcome? Settled { get; private set; }

    /// <summary>The abandon reason or dead-letter description.</summary>
    public string? Reason { get; private set; }

    /// <summary>The next delivery of the same job, after an abandon.</summary>
    public LocalReceivedJob Redeliver() => new(MessageId, Body, EnqueuedAt, DeliveryCount + 1);

    public Task CompleteAsync(CancellationToken cancellationToken) => Settle(JobOutcome.Completed, null);

    public Task AbandonAsync(string reason, CancellationToken cancellationToken) => Settle(JobOutcome.Abandoned, reason);

    public Task DeadLetterAsync(string code, string description, CancellationToken cancellationToken) => Settle(JobOutcome.DeadLettered, $"{code}: {description}");

    private Task Settle(JobOutcome outcome, string? reason)
    {
        if (Settled is not null)
        {
            throw new InvalidOperationException($"Job {MessageId} is already settled ({Settled}).");
        }

        Settled = outcome;
        Reason = reason;
        return Task.CompletedTask;
    }
}
