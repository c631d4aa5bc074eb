using Azure.Messaging.ServiceBus;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Loopback;

/// <summary>
/// An expired lock, through the real Azure.Messaging.ServiceBus client against the test double: it
/// can neither be renewed nor settle the message, on the receive link or through <c>$management</c>
/// (deferred messages received by sequence number are settled there), and its token does not settle
/// the message's next lock, held by another receiver. The message comes back with its delivery count + 1.
/// </summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusExpiredLockTests(ServiceBusDoubleFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private static readonly ServiceBusReceiverOptions NoPrefetch = new() { PrefetchCount = 0 };

    [RequiresNodeFact]
    public async Task Renewing_an_expired_lock_fails_with_lock_lost_and_the_message_comes_back_counted()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "slow");
        await using var receiver = client.CreateReceiver(queue, NoPrefetch);

        var first = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(first);
        var lockedUntil = first.LockedUntil;
        await PastAsync(lockedUntil);

        var renew = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.RenewMessageLockAsync(first));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, renew.Reason);
        Assert.Equal(lockedUntil, first.LockedUntil);
        var second = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(second);
        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(2, second.DeliveryCount);
        Assert.True(second.LockedUntil > lockedUntil, $"new lock {second.LockedUntil:O} vs expired {lockedUntil:O}");
        await receiver.CompleteMessageAsync(second);
    }

    [RequiresNodeFact]
    public async Task An_expired_lock_token_cannot_settle_the_message_another_receiver_now_holds()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "taken over");
        await using var one = client.CreateReceiver(queue, NoPrefetch);
        await using var two = client.CreateReceiver(queue, NoPrefetch);

        var first = await one.ReceiveMessageAsync(Wait);
        Assert.NotNull(first);
        await PastAsync(first.LockedUntil);
        var second = await two.ReceiveMessageAsync(Wait);
        Assert.NotNull(second);

        var stale = await Assert.ThrowsAsync<ServiceBusException>(() => one.CompleteMessageAsync(first));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, stale.Reason);
        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(2, second.DeliveryCount);
        await two.RenewMessageLockAsync(second); // still held by the second receiver
        await two.CompleteMessageAsync(second);
        Assert.Null(await two.PeekMessageAsync());
    }

    [RequiresNodeFact]
    public async Task A_deferred_message_is_received_by_sequence_number_and_settled_through_management()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "later");
        await using var receiver = client.CreateReceiver(queue, NoPrefetch);
        var sequenceNumber = await DeferAsync(receiver);

        var deferred = await receiver.ReceiveDeferredMessageAsync(sequenceNumber);
        var before = deferred.LockedUntil;
        await receiver.RenewMessageLockAsync(deferred);

        Assert.Equal("later", deferred.Body.ToString());
        Assert.NotEqual(Guid.Empty.ToString(), deferred.LockToken);
        Assert.True(deferred.LockedUntil >= before, $"renewed {deferred.LockedUntil:O} vs {before:O}");
        await receiver.CompleteMessageAsync(deferred);
        Assert.Null(await receiver.PeekMessageAsync());
        var gone = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.ReceiveDeferredMessageAsync(sequenceNumber));
        Assert.Equal(ServiceBusFailureReason.MessageNotFound, gone.Reason);
    }

    [RequiresNodeFact]
    public async Task An_expired_lock_cannot_renew_or_settle_through_management_nor_settle_the_next_lock()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "deferred and slow");
        await using var one = client.CreateReceiver(queue, NoPrefetch);
        await using var two = client.CreateReceiver(queue, NoPrefetch);
        var sequenceNumber = await DeferAsync(one);

        var first = await one.ReceiveDeferredMessageAsync(sequenceNumber);
        await PastAsync(first.LockedUntil);
        var renew = await Assert.ThrowsAsync<ServiceBusException>(() => one.RenewMessageLockAsync(first));
        var expired = await Assert.ThrowsAsync<ServiceBusException>(() => one.CompleteMessageAsync(first));
        var second = await two.ReceiveDeferredMessageAsync(sequenceNumber); // still deferred, locked anew
        var stale = await Assert.ThrowsAsync<ServiceBusException>(() => one.CompleteMessageAsync(first));

        Assert.Equal(ServiceBusFailureReason.MessageLockLost, renew.Reason);
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, expired.Reason);
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, stale.Reason);
        Assert.Equal(first.DeliveryCount + 1, second.DeliveryCount);
        Assert.NotEqual(first.LockToken, second.LockToken);
        // Refused by the double's $management node, not by the client or the receive link.
        Assert.Contains($"management com.microsoft:update-disposition on '{queue}' failed", fixture.ServiceBus.RecentOutput, StringComparison.Ordinal);
        await two.CompleteMessageAsync(second);
        Assert.Null(await two.PeekMessageAsync());
    }

    /// <summary>Receives the queue's one message and defers it; returns its sequence number.</summary>
    private static async Task<long> DeferAsync(ServiceBusReceiver receiver)
    {
        var received = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(received);
        await receiver.DeferMessageAsync(received);
        return received.SequenceNumber;
    }

    /// <summary>Waits until a lock has expired (its end, plus a margin for the double's timer).</summary>
    private static async Task PastAsync(DateTimeOffset lockedUntil)
    {
        var left = lockedUntil - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    private static async Task<string> SendAsync(ServiceBusClient client, string body)
    {
        var queue = ServiceBusSettlementTests.NewQueueName();
        await using var sender = client.CreateSender(queue);
        await sender.SendMessageAsync(new ServiceBusMessage(body) { MessageId = Guid.NewGuid().ToString() });
        return queue;
    }
}
