using System.Text;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>A delivery that records how it was settled.</summary>
public sealed class FakeReceivedJob(string body, string messageId = "m-1", int deliveryCount = 1, string? replyTo = null) : IReceivedJob
{
    private readonly List<string> _settlements = [];

    public string MessageId { get; } = messageId;

    public ReadOnlyMemory<byte> Body { get; } = Encoding.UTF8.GetBytes(body);

    public int DeliveryCount { get; } = deliveryCount;

    public DateTimeOffset EnqueuedAt { get; init; } = DateTimeOffset.UtcNow.AddSeconds(-3);

    public string? ReplyTo { get; } = replyTo;

    /// <summary>Each settlement as <c>complete</c>, <c>abandon:REASON</c> or <c>deadletter:CODE:DESCRIPTION</c>.</summary>
    public IReadOnlyList<string> Settlements => _settlements;

    public Exception? FailComplete { get; init; }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (FailComplete is not null)
        {
            throw FailComplete;
        }

        _settlements.Add("complete");
        return Task.CompletedTask;
    }

    public Task AbandonAsync(string reason, CancellationToken cancellationToken)
    {
        _settlements.Add($"abandon:{reason}");
        return Task.CompletedTask;
    }

    public Task DeadLetterAsync(string code, string description, CancellationToken cancellationToken)
    {
        _settlements.Add($"deadletter:{code}:{description}");
        return Task.CompletedTask;
    }
}
