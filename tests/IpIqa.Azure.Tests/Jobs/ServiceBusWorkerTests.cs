using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>
/// The Service Bus transport end to end with the real SDK against the AMQP test double (5 s lock,
/// max delivery count 3): receive and complete with a reply, abandon and redelivery, dead-letter,
/// and lock renewal while a job outlives its lock.
/// </summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusWorkerTests(ServiceBusDoubleFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [RequiresNodeFact]
    public async Task Job_is_scored_replied_to_with_the_request_message_id_and_completed()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        var replies = queue + "-replies";
        var request = new ServiceBusMessage("""{"jobId":"j1","image":{"path":"a.png"},"prompt":"a cat"}""") { MessageId = "req-1", ReplyTo = replies };
        await SendAsync(client, queue, request);

        using var harness = new Harness(client, queue);
        await using (harness.Start())
        {
            await using var receiver = client.CreateReceiver(replies);
            var reply = await receiver.ReceiveMessageAsync(Wait) ?? throw new TimeoutException("no reply arrived");
            await receiver.CompleteMessageAsync(reply);

            Assert.Equal("req-1", reply.CorrelationId);
            Assert.Equal("application/json", reply.ContentType);
            var result = ScoringJson.DeserializeResult(reply.Body.ToArray());
            Assert.Equal("j1", result.JobId);
            Assert.Equal(FakeScorer.Expected(new byte[] { 1, 2, 3 }, "a cat"), result.Scores);
            Assert.Equal(Assert.Single(harness.Store.Records).Key, reply.MessageId);
        }

        await AssertQueueEmptyAsync(client, queue);
    }

    [RequiresNodeFact]
    public async Task Sink_failure_abandons_and_the_redelivery_completes()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await SendAsync(client, queue, new ServiceBusMessage("""{"jobId":"j2","image":{"path":"a.png"},"prompt":"a cat"}"""));

        using var harness = new Harness(client, queue, storeFailures: 1);
        await using (harness.Start())
        {
            await RunningSource.WaitUntilAsync(() => !harness.Store.Records.IsEmpty, Wait, "the redelivered job is written");
        }

        var record = Assert.Single(harness.Store.Records);
        Assert.Equal(2, record.Job.DeliveryCount);
        // Delivery 2 came from the abandon, not from the lock expiring after a failed abandon.
        Assert.DoesNotContain(harness.Logs.Lines, line => line.Contains("Abandoning message", StringComparison.Ordinal));
        // The redelivery may finish before the first handler has returned: the order of the two outcomes is not fixed.
        Assert.Equal([JobOutcome.Abandoned, JobOutcome.Completed], harness.Outcomes.OrderBy(o => o == JobOutcome.Completed));
        await AssertQueueEmptyAsync(client, queue);
    }

    [RequiresNodeFact]
    public async Task Bad_message_is_dead_lettered_with_the_error_code_as_reason()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await SendAsync(client, queue, new ServiceBusMessage("""{"jobId":"j3","image":{"path":"a.png"}}"""));

        using var harness = new Harness(client, queue);
        await using (harness.Start())
        {
            await using var dlq = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
            var dead = await dlq.ReceiveMessageAsync(Wait) ?? throw new TimeoutException("nothing was dead-lettered");
            await dlq.CompleteMessageAsync(dead);

            Assert.Equal("prompt_missing", dead.DeadLetterReason);
            Assert.Equal("prompt is missing.", dead.DeadLetterErrorDescription);
            Assert.Equal("prompt_missing", Assert.Single(harness.Store.Records).Result.Error!.Code);
        }

        await AssertQueueEmptyAsync(client, queue);
    }

    [RequiresNodeFact]
    public async Task Lock_is_renewed_while_a_job_outlives_it()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        await SendAsync(client, queue, new ServiceBusMessage("""{"jobId":"j4","image":{"path":"a.png"},"prompt":"a cat"}"""));
        var slow = fixture.Options.LockDuration * 2;

        using var harness = new Harness(client, queue, scorer: new FakeScorer { Before = (_, ct) => Task.Delay(slow, ct) });
        await using (harness.Start())
        {
            await RunningSource.WaitUntilAsync(() => harness.Outcomes.Length > 0, Wait + slow, "the slow job is settled");
        }

        Assert.Equal([JobOutcome.Completed], harness.Outcomes);
        Assert.Equal(1, Assert.Single(harness.Store.Records).Job.DeliveryCount);
        await AssertQueueEmptyAsync(client, queue);
    }

    [RequiresNodeFact]
    public async Task Stop_lets_jobs_in_flight_finish_within_the_grace_period()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scorer = new FakeScorer { Before = async (_, ct) => { started.TrySetResult(); await Task.Delay(TimeSpan.FromSeconds(1), ct); } };
        await SendAsync(client, queue, new ServiceBusMessage("""{"jobId":"j5","image":{"path":"a.png"},"prompt":"a cat"}"""));

        using var harness = new Harness(client, queue, scorer: scorer);
        var running = harness.Start();
        await started.Task.WaitAsync(Wait);
        await running.StopAsync(TimeSpan.FromSeconds(20));
        await running.DisposeAsync();

        Assert.Equal([JobOutcome.Completed], harness.Outcomes);
        await AssertQueueEmptyAsync(client, queue);
    }

    [RequiresNodeFact]
    public async Task Stop_past_the_grace_period_abandons_jobs_in_flight_and_they_come_back()
    {
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        var queue = ServiceBusSettlementTests.NewQueueName();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scorer = new FakeScorer { Before = async (_, ct) => { started.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); } };
        await SendAsync(client, queue, new ServiceBusMessage("""{"jobId":"j6","image":{"path":"a.png"},"prompt":"a cat"}"""));

        using var harness = new Harness(client, queue, scorer: scorer);
        var running = harness.Start();
        await started.Task.WaitAsync(Wait);
        await running.StopAsync(TimeSpan.FromMilliseconds(200));
        await running.DisposeAsync();

        Assert.Equal([JobOutcome.Abandoned], harness.Outcomes);
        Assert.Empty(harness.Store.Records);
        await using var receiver = client.CreateReceiver(queue);
        var back = await receiver.ReceiveMessageAsync(Wait) ?? throw new TimeoutException("the abandoned job did not come back");
        Assert.Equal(2, back.DeliveryCount);
        Assert.Equal("The worker is shutting down.", back.ApplicationProperties[ServiceBusReceivedJob.AbandonReasonProperty]);
        await receiver.CompleteMessageAsync(back);
    }

    private static async Task SendAsync(ServiceBusClient client, string queue, ServiceBusMessage message)
    {
        await using var sender = client.CreateSender(queue);
        await sender.SendMessageAsync(message);
    }

    private static async Task AssertQueueEmptyAsync(ServiceBusClient client, string queue)
    {
        await using var receiver = client.CreateReceiver(queue);
        Assert.Null(await receiver.PeekMessageAsync());
    }

    /// <summary>A worker pipeline on <c>queue</c>: fake scorer and image, a store sink, the real reply sink.</summary>
    private sealed class Harness : IJobHandler, IDisposable
    {
        private readonly ConcurrentQueue<JobOutcome> _outcomes = new();
        private readonly JobMetrics _metrics = new();
        private readonly ServiceBusClient _client;
        private readonly IOptions<ServiceBusOptions> _options;
        private readonly JobProcessor _processor;

        public Harness(ServiceBusClient client, string queue, int storeFailures = 0, FakeScorer? scorer = null)
        {
            _client = client;
            _options = Options.Create(new ServiceBusOptions { ConnectionString = "unused", QueueName = queue, MaxConcurrentMessages = 4, MaxLockRenewalDuration = TimeSpan.FromMinutes(1) });
            Store = new FlakySink(storeFailures);
            var images = new FakeImageSource();
            images.Images["a.png"] = [1, 2, 3];
            var reply = new ServiceBusReplySink(client, _options, NullLogger<ServiceBusReplySink>.Instance);
            _processor = Processors.Create(scorer ?? new FakeScorer(), [images], [Store, reply], _metrics, logger: Logs.For<JobProcessor>());
        }

        public FlakySink Store { get; }

        public CapturedLogs Logs { get; } = new();

        public JobOutcome[] Outcomes => [.. _outcomes];

        public RunningSource Start() => new(new ServiceBusJobSource(_client, _options, NullLogger<ServiceBusJobSource>.Instance), this);

        public async Task<JobOutcome> HandleAsync(IReceivedJob job, CancellationToken cancellationToken)
        {
            var outcome = await _processor.HandleAsync(job, cancellationToken);
            _outcomes.Enqueue(outcome);
            return outcome;
        }

        public void Dispose() => _metrics.Dispose();
    }
}
