using Azure.Messaging.ServiceBus;
using IpIqa.Core.Contracts;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Worker.Tests.Hosting;
using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace IpIqa.Worker.Tests.EndToEnd;

/// <summary>
/// The worker host configured for Service Bus (clients from <c>AddAzureClients</c>) against the AMQP
/// test double: a job it cannot serve gets an error reply on the configured reply queue and is
/// dead-lettered with its code.
/// </summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusHostTests(ServiceBusDoubleFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [RequiresNodeFact]
    public async Task Host_replies_with_the_error_and_dead_letters_a_job_it_cannot_serve()
    {
        var queue = $"jobs-{Guid.NewGuid():N}";
        var replies = queue + "-replies";
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessageAsync(new ServiceBusMessage("""{"jobId":"local-only","image":{"path":"a.png"},"prompt":"a cat"}""") { MessageId = "req-7" });
        }

        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Transport:Kind"] = "ServiceBus",
            ["IpIqa:ServiceBus:ConnectionString"] = fixture.ConnectionString,
            ["IpIqa:ServiceBus:QueueName"] = queue,
            ["IpIqa:ServiceBus:ReplyQueueName"] = replies,
            ["IpIqa:Health:Port"] = "0",
        });
        await host.StartAsync();
        try
        {
            await using var replyReceiver = client.CreateReceiver(replies);
            var reply = await replyReceiver.ReceiveMessageAsync(Wait) ?? throw new TimeoutException("no reply arrived");
            await replyReceiver.CompleteMessageAsync(reply);
            await using var dlq = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
            var dead = await dlq.ReceiveMessageAsync(Wait) ?? throw new TimeoutException("nothing was dead-lettered");
            await dlq.CompleteMessageAsync(dead);

            Assert.Equal("req-7", reply.CorrelationId);
            Assert.Equal("ipiqa.error", reply.Subject);
            var result = ScoringJson.DeserializeResult(reply.Body.ToArray());
            Assert.Equal("local-only", result.JobId);
            Assert.Equal("source_not_allowed", result.Error!.Code);
            Assert.Equal("source_not_allowed", dead.DeadLetterReason);
            Assert.Equal(result.Error.Message, dead.DeadLetterErrorDescription);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
