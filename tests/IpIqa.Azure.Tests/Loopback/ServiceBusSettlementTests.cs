using Azure.Messaging.ServiceBus;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Loopback;

/// <summary>Peek-lock settlement through the real Azure.Messaging.ServiceBus client against the test double.</summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusSettlementTests(ServiceBusDoubleFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [RequiresNodeFact]
    public async Task Send_then_peek_lock_receive_returns_the_message_with_its_properties_and_a_lock()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = NewQueueName();
        var message = new ServiceBusMessage(BinaryData.FromString("hello"))
        {
            MessageId = "job-1",
            Subject = "score",
            ContentType = "application/json",
            ApplicationProperties = { ["attempt"] = 7, ["origin"] = "gallery" },
        };
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessageAsync(message);
        }

        await using var receiver = client.CreateReceiver(queue);
        var before = DateTimeOffset.UtcNow;
        var received = await receiver.ReceiveMessageAsync(Wait);

        Assert.NotNull(received);
        Assert.Equal("hello", received.Body.ToString());
        Assert.Equal("job-1", received.MessageId);
        Assert.Equal("score", received.Subject);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal(7, Assert.IsType<int>(received.ApplicationProperties["attempt"]));
        Assert.Equal("gallery", received.ApplicationProperties["origin"]);
        Assert.Equal(1, received.DeliveryCount);
        Assert.True(received.SequenceNumber > 0, $"sequence number {received.SequenceNumber}");
        Assert.NotEqual(Guid.Empty.ToString(), received.LockToken);
        Assert.InRange(received.LockedUntil, before.AddSeconds(1), before + fixture.Options.LockDuration + TimeSpan.FromSeconds(5));
        Assert.InRange(received.EnqueuedTime, before.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(1));
        await receiver.CompleteMessageAsync(received);
    }

    [RequiresNodeFact]
    public async Task Complete_removes_the_message_from_the_queue()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "done");
        await using var receiver = client.CreateReceiver(queue);

        var received = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(received);
        await receiver.CompleteMessageAsync(received);

        Assert.Null(await receiver.PeekMessageAsync());
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(1)));
    }

    [RequiresNodeFact]
    public async Task Abandon_redelivers_with_delivery_count_incremented_and_properties_merged()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "retry me");
        await using var receiver = client.CreateReceiver(queue);

        var first = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(first);
        await receiver.AbandonMessageAsync(first, new Dictionary<string, object> { ["lastError"] = "timeout", ["retries"] = 1 });
        var second = await receiver.ReceiveMessageAsync(Wait);

        Assert.NotNull(second);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal("timeout", second.ApplicationProperties["lastError"]);
        Assert.Equal(1, second.ApplicationProperties["retries"]);
        Assert.NotEqual(first.LockToken, second.LockToken);
        await receiver.CompleteMessageAsync(second);
    }

    [RequiresNodeFact]
    public async Task Dead_letter_moves_the_message_to_the_dead_letter_queue_with_reason_and_description()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "poison");
        await using var receiver = client.CreateReceiver(queue);
        await using var deadLetters = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });

        var received = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(received);
        await receiver.DeadLetterMessageAsync(received, "image_undecodable", "not a PNG, JPEG or WebP file");

        var dead = await deadLetters.ReceiveMessageAsync(Wait);
        Assert.NotNull(dead);
        Assert.Equal(received.MessageId, dead.MessageId);
        Assert.Equal("poison", dead.Body.ToString());
        Assert.Equal("image_undecodable", dead.DeadLetterReason);
        Assert.Equal("not a PNG, JPEG or WebP file", dead.DeadLetterErrorDescription);
        Assert.Null(await receiver.PeekMessageAsync());
        await deadLetters.CompleteMessageAsync(dead);
    }

    [RequiresNodeFact]
    public async Task Renew_lock_moves_locked_until_forward()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "long job");
        await using var receiver = client.CreateReceiver(queue);

        var received = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(received);
        var firstLock = received.LockedUntil;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await receiver.RenewMessageLockAsync(received);

        Assert.True(received.LockedUntil >= firstLock.AddSeconds(1), $"renewed lock {received.LockedUntil:O} vs first {firstLock:O}");
        await receiver.CompleteMessageAsync(received);
    }

    [RequiresNodeFact]
    public async Task An_expired_lock_redelivers_the_message_and_the_stale_lock_cannot_complete()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "slow consumer");
        await using var receiver = client.CreateReceiver(queue);

        var first = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(first);
        var second = await receiver.ReceiveMessageAsync(fixture.Options.LockDuration + Wait);

        Assert.NotNull(second);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DeliveryCount);
        var stale = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(first));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, stale.Reason);
        await receiver.CompleteMessageAsync(second);
    }

    [RequiresNodeFact]
    public async Task Past_the_max_delivery_count_the_message_is_dead_lettered_as_MaxDeliveryCountExceeded()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "always fails");
        await using var receiver = client.CreateReceiver(queue);
        await using var deadLetters = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });

        for (var delivery = 1; delivery <= fixture.Options.MaxDeliveryCount; delivery++)
        {
            var received = await receiver.ReceiveMessageAsync(Wait);
            Assert.NotNull(received);
            Assert.Equal(delivery, received.DeliveryCount);
            await receiver.AbandonMessageAsync(received);
        }

        Assert.Null(await receiver.PeekMessageAsync());
        var dead = await deadLetters.ReceiveMessageAsync(Wait);
        Assert.NotNull(dead);
        Assert.Equal("always fails", dead.Body.ToString());
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        await deadLetters.CompleteMessageAsync(dead);
    }

    internal static string NewQueueName() => $"q-{Guid.NewGuid():N}";

    private static async Task<string> SendAsync(ServiceBusClient client, string body)
    {
        var queue = NewQueueName();
        await using var sender = client.CreateSender(queue);
        await sender.SendMessageAsync(new ServiceBusMessage(body) { MessageId = Guid.NewGuid().ToString() });
        return queue;
    }
}
