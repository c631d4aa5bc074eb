using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>Every job gets its own result key; a redelivery keeps its key (#11).</summary>
public sealed class JobProcessorKeyTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

    [Fact]
    public async Task Two_jobs_on_the_same_image_and_prompt_get_two_results_with_their_own_verdicts()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var strict = new FakeReceivedJob(JobProcessorHarness.Request("strict", "a.png", extra: ""","correlationId":"c-1","thresholds":{"quality":0.999}"""), "m-1");
        var lenient = new FakeReceivedJob(JobProcessorHarness.Request("lenient", "a.png", extra: ""","correlationId":"c-2","thresholds":{"quality":0.0}"""), "m-2");

        await h.Processor.HandleAsync(strict, CancellationToken.None);
        await h.Processor.HandleAsync(lenient, CancellationToken.None);

        var records = h.Store.Records.ToArray();
        Assert.Equal(2, records.Length);
        Assert.NotEqual(records[0].Key, records[1].Key);
        Assert.Equal(("strict", "c-1", Verdict.Fail), (records[0].Result.JobId, records[0].Result.CorrelationId, records[0].Result.Verdict!.Outcome));
        Assert.Equal(("lenient", "c-2", Verdict.Pass), (records[1].Result.JobId, records[1].Result.CorrelationId, records[1].Result.Verdict!.Outcome));
        Assert.Equal(records[0].Result.Scores, records[1].Result.Scores);
    }

    [Fact]
    public async Task Identical_bodies_in_two_messages_get_two_keys_and_identical_bad_messages_too()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var body = JobProcessorHarness.Request("same", "a.png");

        await h.Processor.HandleAsync(new FakeReceivedJob(body, "jobs.jsonl:1"), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob(body, "jobs.jsonl:2"), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob("not json", "jobs.jsonl:3"), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob("not json", "jobs.jsonl:4"), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.Request("gone", "missing.png"), "jobs.jsonl:5"), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.Request("gone", "missing.png"), "jobs.jsonl:6"), CancellationToken.None);

        var records = h.Store.Records.ToArray();
        Assert.Equal(6, records.Select(r => r.Key).Distinct().Count());
        Assert.Equal([null, null, ErrorCodes.MessageInvalid, ErrorCodes.MessageInvalid, ErrorCodes.ImageNotFound, ErrorCodes.ImageNotFound], records.Select(r => r.Result.Error?.Code));
    }

    [Fact]
    public async Task Redelivered_bad_message_and_missing_image_keep_their_keys()
    {
        using var h = new JobProcessorHarness();

        await h.Processor.HandleAsync(new FakeReceivedJob("not json", "m-9", deliveryCount: 1), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob("not json", "m-9", deliveryCount: 2), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.Request("gone", "missing.png"), "m-8", deliveryCount: 1), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.Request("gone", "missing.png"), "m-8", deliveryCount: 2), CancellationToken.None);

        var keys = h.Store.Records.Select(r => r.Key).ToArray();
        Assert.Equal(4, keys.Length);
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(keys[2], keys[3]);
        Assert.NotEqual(keys[0], keys[2]);
    }
}
