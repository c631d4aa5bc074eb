using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;

namespace IpIqa.Core.Tests.Jobs;

public sealed class JobProcessorTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

    [Fact]
    public async Task Valid_job_is_scored_written_to_every_sink_in_order_then_completed()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png", extra: ""","correlationId":"c-9","attributes":{"k":"v"}"""));

        var outcome = await h.Processor.HandleAsync(job, CancellationToken.None);

        Assert.Equal(JobOutcome.Completed, outcome);
        Assert.Equal(["complete"], job.Settlements);
        Assert.Equal(["store", "reply"], h.Order);
        var record = Assert.Single(h.Store.Records);
        Assert.Same(record, Assert.Single(h.Reply.Records));
        var result = record.Result;
        Assert.Equal("j1", result.JobId);
        Assert.Equal("c-9", result.CorrelationId);
        Assert.Equal("v", result.Attributes!["k"]);
        Assert.Equal(FakeScorer.Expected(Png, "a red fox in snow"), result.Scores);
        Assert.Equal(Verdict.Pass, result.Verdict!.Outcome);
        Assert.Equal(h.Scorer.Model, result.Model);
        Assert.NotNull(result.Timings);
        Assert.Equal(ResultKeys.ForMessage("m-1", job.Body.Span, h.Scorer.Model.Hash), record.Key);
    }

    [Fact]
    public async Task Redelivery_of_a_message_gives_the_same_key_even_when_the_image_changed()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var body = JobProcessorHarness.Request("j1", "a.png");

        await h.Processor.HandleAsync(new FakeReceivedJob(body, deliveryCount: 1), CancellationToken.None);
        h.Images.Version = 2;
        await h.Processor.HandleAsync(new FakeReceivedJob(body, deliveryCount: 2), CancellationToken.None);

        var keys = h.Store.Records.Select(r => r.Key).ToArray();
        Assert.Equal(2, keys.Length);
        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public async Task Default_thresholds_apply_and_a_request_threshold_wins_for_its_output()
    {
        using var h = new JobProcessorHarness(new Thresholds(Quality: 0.99, Alignment: 0.99));
        h.Images.Images["a.png"] = Png;
        var scores = FakeScorer.Expected(Png, "a red fox in snow");
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png", extra: ""","thresholds":{"quality":0.0}"""));

        await h.Processor.HandleAsync(job, CancellationToken.None);

        var verdict = Assert.Single(h.Store.Records).Result.Verdict!;
        Assert.Equal(Verdict.Fail, verdict.Outcome);
        Assert.True(scores.Alignment < 0.99, "the fake's alignment must be below the default threshold");
        Assert.Equal(["alignment<0.99"], verdict.Failed);
    }

    [Theory]
    [InlineData("not json", ErrorCodes.MessageInvalid)]
    [InlineData("""{"jobId":"j1","image":{"path":"a.png"}}""", ErrorCodes.PromptMissing)]
    [InlineData("""{"schemaVersion":2,"jobId":"j1","image":{"path":"a.png"},"prompt":"p"}""", ErrorCodes.SchemaUnsupported)]
    [InlineData("""{"jobId":"j1","image":{"path":"a.png"},"prompt":"   "}""", ErrorCodes.PromptInvalid)]
    public async Task Bad_message_writes_an_error_result_and_is_dead_lettered_with_its_code(string body, string code)
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var job = new FakeReceivedJob(body);

        var outcome = await h.Processor.HandleAsync(job, CancellationToken.None);

        Assert.Equal(JobOutcome.DeadLettered, outcome);
        var settlement = Assert.Single(job.Settlements);
        Assert.StartsWith($"deadletter:{code}:", settlement, StringComparison.Ordinal);
        var result = Assert.Single(h.Reply.Records).Result;
        Assert.Equal(code, result.Error!.Code);
        Assert.Null(result.Scores);
        Assert.Empty(h.Scorer.Inputs);
    }

    [Fact]
    public async Task Missing_image_is_dead_lettered_as_image_not_found_with_an_error_result()
    {
        using var h = new JobProcessorHarness();
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j7", "missing.png"));

        Assert.Equal(JobOutcome.DeadLettered, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.StartsWith($"deadletter:{ErrorCodes.ImageNotFound}:", Assert.Single(job.Settlements), StringComparison.Ordinal);
        var result = Assert.Single(h.Store.Records).Result;
        Assert.Equal("j7", result.JobId);
        Assert.Equal(ErrorCodes.ImageNotFound, result.Error!.Code);
    }

    [Fact]
    public async Task Image_uri_with_no_source_for_it_is_source_not_allowed()
    {
        using var h = new JobProcessorHarness();
        var job = new FakeReceivedJob("""{"jobId":"j1","image":{"uri":"https://evil.example/x.png"},"prompt":"p"}""");

        Assert.Equal(JobOutcome.DeadLettered, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.StartsWith($"deadletter:{ErrorCodes.SourceNotAllowed}:", Assert.Single(job.Settlements), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undecodable_image_fails_its_own_job_only()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["bad.png"] = "BAD bytes"u8.ToArray();
        h.Images.Images["good.png"] = Png;
        var bad = new FakeReceivedJob(JobProcessorHarness.Request("bad", "bad.png"), "m-bad");
        var good = new FakeReceivedJob(JobProcessorHarness.Request("good", "good.png"), "m-good");

        var outcomes = await Task.WhenAll(h.Processor.HandleAsync(bad, CancellationToken.None), h.Processor.HandleAsync(good, CancellationToken.None));

        Assert.Equal([JobOutcome.DeadLettered, JobOutcome.Completed], outcomes);
        Assert.StartsWith("deadletter:image_undecodable:", Assert.Single(bad.Settlements), StringComparison.Ordinal);
        Assert.Equal(["complete"], good.Settlements);
    }

    [Fact]
    public async Task Sink_failure_abandons_and_never_completes()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        h.Reply.Failure = new IOException("reply queue is throttled (503)");
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png"));

        Assert.Equal(JobOutcome.Abandoned, await h.Processor.HandleAsync(job, CancellationToken.None));

        var settlement = Assert.Single(job.Settlements);
        Assert.StartsWith("abandon:", settlement, StringComparison.Ordinal);
        Assert.Contains("503", settlement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_fetch_failure_abandons_without_writing_a_result()
    {
        using var h = new JobProcessorHarness();
        h.Images.Failures["a.png"] = new HttpRequestException("429 Too Many Requests");
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png"));

        Assert.Equal(JobOutcome.Abandoned, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.StartsWith("abandon:", Assert.Single(job.Settlements), StringComparison.Ordinal);
        Assert.Empty(h.Store.Records);
    }

    [Fact]
    public async Task Shutdown_while_scoring_abandons_the_job()
    {
        using var stop = new CancellationTokenSource();
        var scorer = new FakeScorer
        {
            Before = async (_, ct) =>
            {
                await stop.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        using var h = new JobProcessorHarness(scorer: scorer);
        h.Images.Images["a.png"] = Png;
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png"));

        Assert.Equal(JobOutcome.Abandoned, await h.Processor.HandleAsync(job, stop.Token));

        Assert.Equal(["abandon:The worker is shutting down."], job.Settlements);
        Assert.Empty(h.Store.Records);
    }

    [Fact]
    public async Task Failed_complete_is_reported_as_abandoned()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png")) { FailComplete = new InvalidOperationException("lock lost") };

        Assert.Equal(JobOutcome.Abandoned, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.Contains("lock lost", Assert.Single(job.Settlements), StringComparison.Ordinal);
    }
}
