using System.Text.Json;
using Azure.Messaging.ServiceBus;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Core.Contracts;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Rescoring;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>Rescoring's enqueue path onto Service Bus, against the test double.</summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusJobQueueTests(ServiceBusDoubleFixture fixture)
{
    [RequiresNodeFact]
    public async Task EnqueuedRequests_CarryTheJobIdAsMessageId_AndTheRunIdAsCorrelationId()
    {
        var queueName = ServiceBusSettlementTests.NewQueueName();
        var keys = new[] { "night/1.png", "night/2.png", "night/3.png" };
        await using (var queue = new ServiceBusJobQueue(new ServiceBusClient(fixture.ConnectionString), queueName))
        {
            var processor = new EnqueueProcessor(queue, "run-42", "hash", null, maxInFlight: 4);
            foreach (var key in keys)
            {
                await processor.ProcessAsync(new RescoreItem(key, $"https://acct.blob.core.windows.net/g/{key}", 10, "etag", $"prompt of {key}"), CancellationToken.None);
            }
        }

        await using var client = new ServiceBusClient(fixture.ConnectionString);
        await using var receiver = client.CreateReceiver(queueName);
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < keys.Length && await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(15)) is { } message)
        {
            received.Add(message);
            await receiver.CompleteMessageAsync(message);
        }

        Assert.Equal(keys.Length, received.Count);
        foreach (var message in received)
        {
            using var json = JsonDocument.Parse(message.Body.ToMemory());
            var jobId = json.RootElement.GetProperty("jobId").GetString();
            Assert.Equal(jobId, message.MessageId);
            Assert.Equal("run-42", message.CorrelationId);
            Assert.Equal("run-42", json.RootElement.GetProperty("attributes").GetProperty("runId").GetString());
            Assert.Equal(ScoringRequest.CurrentSchemaVersion, json.RootElement.GetProperty("schemaVersion").GetInt32());
        }

        Assert.Equal(keys.Select(k => EnqueueProcessor.JobIdOf("run-42", k)).Order(), received.Select(m => m.MessageId).Order());
    }

    [RequiresNodeFact]
    public async Task AMissingQueue_IsAClearErrorNamingIt()
    {
        // The double treats names starting with "absent-" as entities that do not exist (amqp:not-found).
        var queueName = "absent-" + ServiceBusSettlementTests.NewQueueName();
        await using var queue = new ServiceBusJobQueue(new ServiceBusClient(fixture.ConnectionString, new ServiceBusClientOptions { RetryOptions = new ServiceBusRetryOptions { MaxRetries = 0 } }), queueName);
        var request = new ScoringRequest("job-1", new ImageReference(Uri: "https://acct.blob.core.windows.net/g/1.png"), "a cat");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => queue.SendAsync(request, CancellationToken.None));

        Assert.Contains($"The Service Bus queue '{queueName}' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, Assert.IsType<ServiceBusException>(error.InnerException).Reason);
    }
}
