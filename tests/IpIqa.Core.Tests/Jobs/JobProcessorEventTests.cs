using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>BlobCreated events through the job pipeline: the prompt comes from the image's metadata, read with the image.</summary>
public sealed class JobProcessorEventTests
{
    private const string Url = "https://gallery.blob.core.windows.net/images/a.png";
    private const string Prompt = "二匹の猫が窓辺で寝ている, watercolor";
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 4, 5, 6];

    [Fact]
    public async Task A_BlobCreated_event_is_scored_with_the_decoded_metadata_prompt_like_the_same_request()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images[Url] = Png;
        h.Images.Metadata[Url] = new Dictionary<string, string> { ["prompt"] = PromptMetadata.Encode(Prompt), ["other"] = "x" };
        var fromEvent = new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-1", Url), "m-event");
        var fromRequest = new FakeReceivedJob($$"""{"jobId":"req-1","image":{"uri":"{{Url}}"},"prompt":"{{Prompt}}"}""", "m-request");

        Assert.Equal(JobOutcome.Completed, await h.Processor.HandleAsync(fromEvent, CancellationToken.None));
        Assert.Equal(JobOutcome.Completed, await h.Processor.HandleAsync(fromRequest, CancellationToken.None));

        Assert.Equal(["complete"], fromEvent.Settlements);
        Assert.Equal([Prompt, Prompt], h.Scorer.Inputs.Select(i => i.Prompt));
        var records = h.Store.Records.ToArray();
        var (eventRecord, requestRecord) = (records[0], records[1]);
        Assert.Equal("evt-1", eventRecord.Result.JobId);
        Assert.Equal("/blobServices/default/containers/c/blobs/x", eventRecord.Result.CorrelationId);
        Assert.Equal(Url, eventRecord.Result.Image!.Uri);
        Assert.Equal("Microsoft.Storage.BlobCreated", eventRecord.Result.Attributes!["eventType"]);
        Assert.Equal("0x1", eventRecord.Result.Attributes["eTag"]);
        Assert.Equal(FakeScorer.Expected(Png, Prompt), eventRecord.Result.Scores);
        Assert.Equal(requestRecord.Result.Scores, eventRecord.Result.Scores);
        Assert.Equal(ResultKeys.ForEvent("evt-1", h.Scorer.Model.Hash), eventRecord.Key);
        Assert.Equal(ResultKeys.ForMessage("m-request", fromRequest.Body.Span, h.Scorer.Model.Hash), requestRecord.Key);
    }

    [Fact]
    public async Task The_configured_key_is_read_and_metadata_names_match_without_regard_to_case()
    {
        using var h = new JobProcessorHarness(promptMetadataKey: "caption");
        h.Images.Images[Url] = Png;
        h.Images.Metadata[Url] = new Dictionary<string, string> { ["prompt"] = "not this one", ["Caption"] = "a red fox in snow" };

        Assert.Equal(JobOutcome.Completed, await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-2", Url)), CancellationToken.None));

        Assert.Equal("a red fox in snow", Assert.Single(h.Scorer.Inputs).Prompt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("%20%20")]
    public async Task An_image_without_a_metadata_prompt_is_prompt_missing_and_dead_lettered_unscored(string? value)
    {
        using var h = new JobProcessorHarness();
        h.Images.Images[Url] = Png;
        if (value is not null)
        {
            h.Images.Metadata[Url] = new Dictionary<string, string> { ["prompt"] = value };
        }

        var job = new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-3", Url));

        Assert.Equal(JobOutcome.DeadLettered, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.StartsWith($"deadletter:{ErrorCodes.PromptMissing}:", Assert.Single(job.Settlements), StringComparison.Ordinal);
        Assert.Empty(h.Scorer.Inputs);
        var record = Assert.Single(h.Store.Records);
        Assert.Equal("evt-3", record.Result.JobId);
        Assert.Equal(ErrorCodes.PromptMissing, record.Result.Error!.Code);
        Assert.Contains("'prompt'", record.Result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Url, record.Result.Image!.Uri);
        Assert.Equal(64, record.Key.Length);
    }

    [Fact]
    public async Task A_metadata_prompt_over_the_byte_limit_is_prompt_invalid()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images[Url] = Png;
        h.Images.Metadata[Url] = new Dictionary<string, string> { ["prompt"] = new string('a', RequestLimits.DefaultMaxPromptBytes + 1) };
        var job = new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-4", Url));

        Assert.Equal(JobOutcome.DeadLettered, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.StartsWith($"deadletter:{ErrorCodes.PromptInvalid}:", Assert.Single(job.Settlements), StringComparison.Ordinal);
        Assert.Empty(h.Scorer.Inputs);
    }

    [Fact]
    public async Task A_BlobDeleted_event_is_event_unsupported_with_an_error_result_and_nothing_fetched()
    {
        using var h = new JobProcessorHarness();
        h.Images.Failures[Url] = new InvalidOperationException("the image must not be fetched");
        var job = new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-5", Url, "Microsoft.Storage.BlobDeleted"));

        Assert.Equal(JobOutcome.DeadLettered, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.StartsWith($"deadletter:{ErrorCodes.EventUnsupported}:", Assert.Single(job.Settlements), StringComparison.Ordinal);
        var result = Assert.Single(h.Reply.Records).Result;
        Assert.Equal(("evt-5", ErrorCodes.EventUnsupported), (result.JobId, result.Error!.Code));
    }

    [Fact]
    public async Task A_redelivered_event_rewrites_the_same_result_and_a_missing_prompt_keeps_one_key()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images[Url] = Png;
        h.Images.Metadata[Url] = new Dictionary<string, string> { ["prompt"] = "a cat" };
        const string Other = "https://gallery.blob.core.windows.net/images/b.png";
        h.Images.Images[Other] = Png;

        foreach (var delivery in new[] { 1, 2 })
        {
            await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-6", Url), deliveryCount: delivery), CancellationToken.None);
            await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-7", Other), deliveryCount: delivery), CancellationToken.None);
        }

        var keys = h.Store.Records.Select(r => r.Key).ToArray();
        Assert.Equal(4, keys.Length);
        Assert.Equal(keys[0], keys[2]);
        Assert.Equal(keys[1], keys[3]);
        Assert.NotEqual(keys[0], keys[1]);
    }
}
