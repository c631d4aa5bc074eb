using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Loopback;

/// <summary>Batches, the processor, request/reply, receive modes and peek against the test double.</summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusFlowTests(ServiceBusDoubleFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [RequiresNodeFact]
    public async Task A_batch_send_delivers_each_message_separately_and_in_order()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await using (var sender = client.CreateSender(queue))
        {
            using var batch = await sender.CreateMessageBatchAsync();
            foreach (var body in new[] { "a", "b", "c" })
            {
                Assert.True(batch.TryAddMessage(new ServiceBusMessage(body)), $"message '{body}' did not fit the batch");
            }

            await sender.SendMessagesAsync(batch);
            await sender.SendMessagesAsync([new ServiceBusMessage("d"), new ServiceBusMessage("e")]);
        }

        await using var receiver = client.CreateReceiver(queue);
        var received = await ReceiveAsync(receiver, 5);

        Assert.Equal(["a", "b", "c", "d", "e"], received.Select(m => m.Body.ToString()));
        Assert.Equal(received.Select(m => m.SequenceNumber).Order(), received.Select(m => m.SequenceNumber));
        Assert.Equal(5, received.Select(m => m.SequenceNumber).Distinct().Count());
        foreach (var message in received)
        {
            await receiver.CompleteMessageAsync(message);
        }
    }

    [RequiresNodeFact]
    public async Task The_processor_handles_and_completes_every_message()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        var bodies = Enumerable.Range(1, 6).Select(i => $"job-{i}").ToArray();
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessagesAsync(bodies.Select(b => new ServiceBusMessage(b)));
        }

        var handled = new ConcurrentBag<string>();
        var errors = new ConcurrentBag<Exception>();
        var allHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var processor = client.CreateProcessor(queue, new ServiceBusProcessorOptions
        {
            MaxConcurrentCalls = 2,
            AutoCompleteMessages = false,
        });
        processor.ProcessMessageAsync += async args =>
        {
            await args.CompleteMessageAsync(args.Message, args.CancellationToken);
            handled.Add(args.Message.Body.ToString());
            if (handled.Count == bodies.Length)
            {
                allHandled.TrySetResult();
            }
        };
        processor.ProcessErrorAsync += args =>
        {
            errors.Add(args.Exception);
            return Task.CompletedTask;
        };

        await processor.StartProcessingAsync();
        await allHandled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await processor.StopProcessingAsync();

        Assert.Empty(errors);
        Assert.Equal(bodies.Order(), handled.Order());
        await using var receiver = client.CreateReceiver(queue);
        Assert.Null(await receiver.PeekMessageAsync());
    }

    [RequiresNodeFact]
    public async Task Reply_to_and_correlation_id_survive_a_request_reply_round_trip()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var requests = ServiceBusSettlementTests.NewQueueName();
        var replies = ServiceBusSettlementTests.NewQueueName();
        await using (var sender = client.CreateSender(requests))
        {
            await sender.SendMessageAsync(new ServiceBusMessage("score this") { MessageId = "req-42", ReplyTo = replies, CorrelationId = "pipeline-7" });
        }

        await using var requestReceiver = client.CreateReceiver(requests);
        var request = await requestReceiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(request);
        Assert.Equal(replies, request.ReplyTo);
        Assert.Equal("pipeline-7", request.CorrelationId);
        await using (var responder = client.CreateSender(request.ReplyTo))
        {
            await responder.SendMessageAsync(new ServiceBusMessage("scored") { CorrelationId = request.MessageId });
        }

        await requestReceiver.CompleteMessageAsync(request);
        await using var replyReceiver = client.CreateReceiver(replies);
        var reply = await replyReceiver.ReceiveMessageAsync(Wait);
        Assert.NotNull(reply);
        Assert.Equal("req-42", reply.CorrelationId);
        Assert.Equal("scored", reply.Body.ToString());
        await replyReceiver.CompleteMessageAsync(reply);
    }

    [RequiresNodeFact]
    public async Task A_prefetching_receiver_gets_every_message_and_can_settle_each()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessagesAsync(Enumerable.Range(1, 4).Select(i => new ServiceBusMessage($"p{i}")));
        }

        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { PrefetchCount = 10 });
        var received = await ReceiveAsync(receiver, 4);
        foreach (var message in received)
        {
            await receiver.CompleteMessageAsync(message);
        }

        Assert.Equal(["p1", "p2", "p3", "p4"], received.Select(m => m.Body.ToString()));
        Assert.Null(await receiver.PeekMessageAsync());
    }

    [RequiresNodeFact]
    public async Task Receive_and_delete_mode_removes_the_message_on_receipt()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessageAsync(new ServiceBusMessage("once"));
        }

        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = await receiver.ReceiveMessageAsync(Wait);

        Assert.NotNull(received);
        Assert.Equal("once", received.Body.ToString());
        Assert.Null(await receiver.PeekMessageAsync());
    }

    [RequiresNodeFact]
    public async Task Peek_returns_messages_in_order_without_locking_them()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessagesAsync([new ServiceBusMessage("first"), new ServiceBusMessage("second")]);
        }

        await using var receiver = client.CreateReceiver(queue);
        var peeked = await receiver.PeekMessagesAsync(10);
        var received = await receiver.ReceiveMessageAsync(Wait);

        Assert.Equal(["first", "second"], peeked.Select(m => m.Body.ToString()));
        Assert.NotNull(received);
        Assert.Equal("first", received.Body.ToString());
        Assert.Equal(1, received.DeliveryCount);
        await receiver.CompleteMessageAsync(received);
    }

    [RequiresNodeFact]
    public async Task Application_property_types_survive_the_round_trip()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        var when = new DateTimeOffset(2026, 11, 26, 12, 30, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessageAsync(new ServiceBusMessage("typed")
            {
                ApplicationProperties = { ["int"] = 3, ["long"] = 5_000_000_000L, ["double"] = 0.25, ["bool"] = true, ["when"] = when, ["id"] = id },
            });
        }

        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = await receiver.ReceiveMessageAsync(Wait);

        Assert.NotNull(received);
        var properties = received.ApplicationProperties;
        Assert.Equal(3, Assert.IsType<int>(properties["int"]));
        Assert.Equal(5_000_000_000L, Assert.IsType<long>(properties["long"]));
        Assert.Equal(0.25, Assert.IsType<double>(properties["double"]));
        Assert.True(Assert.IsType<bool>(properties["bool"]));
        Assert.Equal(when, Assert.IsType<DateTimeOffset>(properties["when"]));
        Assert.Equal(id, Assert.IsType<Guid>(properties["id"]));
    }

    [RequiresNodeFact]
    public async Task An_operation_the_double_does_not_model_fails_with_a_message_naming_it()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        await using var sender = client.CreateSender(ServiceBusSettlementTests.NewQueueName());

        // The SDK maps the double's 501 (amqp:not-implemented) to NotSupportedException.
        var error = await Assert.ThrowsAsync<NotSupportedException>(
            () => sender.ScheduleMessageAsync(new ServiceBusMessage("later"), DateTimeOffset.UtcNow.AddMinutes(5)));

        Assert.Contains("com.microsoft:schedule-message", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<ServiceBusReceivedMessage>> ReceiveAsync(ServiceBusReceiver receiver, int count)
    {
        var received = new List<ServiceBusReceivedMessage>();
        using var timeout = new CancellationTokenSource(Wait * 2);
        while (received.Count < count)
        {
            received.AddRange(await receiver.ReceiveMessagesAsync(count - received.Count, Wait, timeout.Token));
        }

        return received;
    }
}
