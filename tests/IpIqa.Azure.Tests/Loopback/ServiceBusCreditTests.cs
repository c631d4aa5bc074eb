using Azure.Messaging.ServiceBus;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Loopback;

/// <summary>
/// Link credit against the test double: a receiver is sent (and locks) no more messages than it
/// has credit for, and a message's lock starts when it is sent, as on a real namespace.
/// </summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusCreditTests(ServiceBusDoubleFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [RequiresNodeFact]
    public async Task A_receiver_with_credit_one_gets_exactly_one_locked_message()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "one", "two", "three");
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { PrefetchCount = 0 });

        // No prefetch: one receive of one message gives the link a credit of one.
        var received = await receiver.ReceiveMessageAsync(Wait);
        var peeked = await receiver.PeekMessagesAsync(10, fromSequenceNumber: 0);

        Assert.NotNull(received);
        Assert.Equal("one", received.Body.ToString());
        Assert.Equal(["one", "two", "three"], peeked.Select(m => m.Body.ToString()));
        Assert.Equal(["one"], peeked.Where(m => m.LockedUntil != default).Select(m => m.Body.ToString()));
        await receiver.CompleteMessageAsync(received);
    }

    [RequiresNodeFact]
    public async Task A_second_receiver_gets_the_messages_the_first_has_no_credit_for()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "first", "second");
        await using var one = client.CreateReceiver(queue, new ServiceBusReceiverOptions { PrefetchCount = 0 });
        await using var two = client.CreateReceiver(queue, new ServiceBusReceiverOptions { PrefetchCount = 0 });

        var toOne = await one.ReceiveMessageAsync(Wait);
        // Well inside the 5 s lock: the message is there only if the first receiver does not hold it.
        var toTwo = await two.ReceiveMessageAsync(TimeSpan.FromSeconds(2));

        Assert.NotNull(toOne);
        Assert.NotNull(toTwo);
        Assert.Equal(["first", "second"], new[] { toOne.Body.ToString(), toTwo.Body.ToString() });
        Assert.Equal(1, toTwo.DeliveryCount);
        await one.CompleteMessageAsync(toOne);
        await two.CompleteMessageAsync(toTwo);
    }

    [RequiresNodeFact]
    public async Task A_message_lock_starts_when_the_message_is_sent()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = await SendAsync(client, "now", "later");
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { PrefetchCount = 0 });
        var lockDuration = fixture.Options.LockDuration;

        var first = await receiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(first);
        await Task.Delay(lockDuration / 2);
        var asked = DateTimeOffset.UtcNow;
        var second = await receiver.ReceiveMessageAsync(Wait);

        Assert.NotNull(second);
        Assert.Equal("later", second.Body.ToString());
        Assert.Equal(1, second.DeliveryCount);
        // The whole lock duration is left, less the clock resolution of the two sides.
        Assert.True(
            second.LockedUntil >= asked + lockDuration - TimeSpan.FromMilliseconds(500),
            $"the second message was locked until {second.LockedUntil:O}, asked for at {asked:O} with a {lockDuration} lock");
        await receiver.CompleteMessageAsync(first);
        await receiver.CompleteMessageAsync(second);
    }

    [RequiresNodeFact]
    public async Task More_deliveries_than_a_session_buffers_all_get_through_once_settled()
    {
        // rhea keeps each sent delivery until both sides have settled it, 2,048 per session at most.
        const int Count = 2_100;
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await using (var sender = client.CreateSender(queue))
        {
            foreach (var chunk in Enumerable.Range(0, Count).Chunk(500))
            {
                await sender.SendMessagesAsync(chunk.Select(i => new ServiceBusMessage($"m{i}")));
            }
        }

        // Prefetch keeps the credit up without the releases a receive without prefetch makes.
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { PrefetchCount = 500 });
        var received = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (received < Count)
        {
            var messages = await receiver.ReceiveMessagesAsync(250, TimeSpan.FromSeconds(5), timeout.Token);
            Assert.True(messages.Count > 0, $"the double stopped sending after {received} of {Count} deliveries");
            await Task.WhenAll(messages.Select(m => receiver.CompleteMessageAsync(m, timeout.Token)));
            received += messages.Count;
        }

        Assert.Equal(Count, received);
        Assert.Null(await receiver.PeekMessageAsync());
    }

    private static async Task<string> SendAsync(ServiceBusClient client, params string[] bodies)
    {
        var queue = ServiceBusSettlementTests.NewQueueName();
        await using var sender = client.CreateSender(queue);
        await sender.SendMessagesAsync(bodies.Select(b => new ServiceBusMessage(b)));
        return queue;
    }
}
