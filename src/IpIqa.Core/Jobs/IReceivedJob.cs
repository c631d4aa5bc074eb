namespace IpIqa.Core.Jobs;

/// <summary>
/// One delivery of a job message from a transport. The handler settles it exactly once:
/// <see cref="CompleteAsync"/> after the result is durable, <see cref="DeadLetterAsync"/> when the
/// message will always fail, <see cref="AbandonAsync"/> on a transient failure (it is delivered again).
/// </summary>
public interface IReceivedJob
{
    /// <summary>The transport's id of the message.</summary>
    string MessageId { get; }

    /// <summary>The message body: schema v1 request JSON, UTF-8.</summary>
    ReadOnlyMemory<byte> Body { get; }

    /// <summary>How many times the message has been delivered, this delivery included.</summary>
    int DeliveryCount { get; }

    /// <summary>When the message was first enqueued.</summary>
    DateTimeOffset EnqueuedAt { get; }

    /// <summary>Where the sender asked for the reply, if anywhere.</summary>
    string? ReplyTo { get; }

    Task CompleteAsync(CancellationToken cancellationToken);

    Task AbandonAsync(string reason, CancellationToken cancellationToken);

    Task DeadLetterAsync(string code, string description, CancellationToken cancellationToken);
}
