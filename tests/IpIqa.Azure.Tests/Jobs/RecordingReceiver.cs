using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>A receiver (the SDK's mocking constructor) that records settlements instead of sending them.</summary>
public sealed class RecordingReceiver : ServiceBusReceiver
{
    public ConcurrentQueue<string> Settlements { get; } = new();

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        Settlements.Enqueue("complete");
        return Task.CompletedTask;
    }

    public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
    {
        var reason = propertiesToModify is not null && propertiesToModify.TryGetValue(IpIqa.Azure.ServiceBus.ServiceBusReceivedJob.AbandonReasonProperty, out var value) ? value : null;
        Settlements.Enqueue($"abandon:{reason}");
        return Task.CompletedTask;
    }

    public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default)
    {
        Settlements.Enqueue($"deadletter:{deadLetterReason}:{deadLetterErrorDescription}");
        return Task.CompletedTask;
    }

    public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object> propertiesToModify, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default)
    {
        Settlements.Enqueue($"deadletter:{deadLetterReason}:{deadLetterErrorDescription}");
        return Task.CompletedTask;
    }
}
