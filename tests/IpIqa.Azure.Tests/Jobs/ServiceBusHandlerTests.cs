using Azure.Messaging.ServiceBus;
using IpIqa.Azure.ServiceBus;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>The job processor settling Service Bus messages built with <see cref="ServiceBusModelFactory"/>.</summary>
public sealed class ServiceBusHandlerTests
{
    [Fact]
    public async Task Valid_message_is_completed_and_its_reply_names_the_request_message()
    {
        var (outcome, receiver, sink) = await HandleAsync("""{"jobId":"j1","image":{"path":"a.png"},"prompt":"a cat"}""", replyTo: "replies");

        Assert.Equal(JobOutcome.Completed, outcome);
        Assert.Equal(["complete"], receiver.Settlements);
        var record = Assert.Single(sink.Records);
        Assert.Equal("replies", record.Job.ReplyTo);
        Assert.Equal("msg-1", record.Job.MessageId);
        Assert.Equal(2, record.Job.DeliveryCount);
    }

    [Fact]
    public async Task Unknown_schema_version_is_dead_lettered_with_reason_equal_to_the_code()
    {
        var (outcome, receiver, sink) = await HandleAsync("""{"schemaVersion":9,"jobId":"j1","image":{"path":"a.png"},"prompt":"a cat"}""");

        Assert.Equal(JobOutcome.DeadLettered, outcome);
        var settlement = Assert.Single(receiver.Settlements);
        Assert.StartsWith("deadletter:schema_unsupported:schemaVersion 9 is not supported", settlement, StringComparison.Ordinal);
        Assert.Equal("schema_unsupported", Assert.Single(sink.Records).Result.Error!.Code);
    }

    [Fact]
    public async Task Sink_failure_abandons_with_the_reason_in_a_property()
    {
        var (outcome, receiver, _) = await HandleAsync("""{"jobId":"j1","image":{"path":"a.png"},"prompt":"a cat"}""", failSink: true);

        Assert.Equal(JobOutcome.Abandoned, outcome);
        var settlement = Assert.Single(receiver.Settlements);
        Assert.StartsWith("abandon:IOException: table returned 503", settlement, StringComparison.Ordinal);
    }

    private static async Task<(JobOutcome, RecordingReceiver, RecordingSink)> HandleAsync(string body, string? replyTo = null, bool failSink = false)
    {
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body),
            messageId: "msg-1",
            replyTo: replyTo,
            deliveryCount: 2,
            enqueuedTime: DateTimeOffset.UtcNow.AddSeconds(-1),
            lockTokenGuid: Guid.NewGuid());
        var receiver = new RecordingReceiver();
        var args = new ProcessMessageEventArgs(message, receiver, CancellationToken.None);
        var images = new FakeImageSource();
        images.Images["a.png"] = [1, 2, 3];
        var sink = new RecordingSink("reply", 100) { Failure = failSink ? new IOException("table returned 503") : null };
        using var metrics = new JobMetrics();
        var processor = Processors.Create(new FakeScorer(), [images], [sink], metrics, logger: NullLogger<JobProcessor>.Instance);
        var outcome = await processor.HandleAsync(new ServiceBusReceivedJob(args), CancellationToken.None);
        return (outcome, receiver, sink);
    }
}
