using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>The prompt limit is <see cref="JobProcessorOptions.MaxPromptBytes"/> (IpIqa:Model:MaxPromptBytes) for requests and blob events alike (#12).</summary>
public sealed class JobProcessorPromptLimitTests
{
    private const string Url = "https://gallery.blob.core.windows.net/images/a.png";
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 7, 8, 9];

    [Fact]
    public async Task A_5KB_prompt_is_scored_with_the_default_limit()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var prompt = new string('a', 5 * 1024);
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png", prompt));

        Assert.Equal(JobOutcome.Completed, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.Equal(["complete"], job.Settlements);
        Assert.Equal(prompt, Assert.Single(h.Scorer.Inputs).Prompt);
        Assert.Equal(FakeScorer.Expected(Png, prompt), Assert.Single(h.Store.Records).Result.Scores);
    }

    [Fact]
    public async Task A_prompt_of_16385_bytes_is_prompt_invalid_with_the_default_limit()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = Png;
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png", new string('a', RequestLimits.DefaultMaxPromptBytes + 1)));

        Assert.Equal(JobOutcome.DeadLettered, await h.Processor.HandleAsync(job, CancellationToken.None));

        Assert.StartsWith($"deadletter:{ErrorCodes.PromptInvalid}:", Assert.Single(job.Settlements), StringComparison.Ordinal);
        Assert.Contains("16385 UTF-8 bytes; the limit is 16384", Assert.Single(h.Store.Records).Result.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(h.Scorer.Inputs);
    }

    [Theory]
    [InlineData(6000, 6000, JobOutcome.Completed)]
    [InlineData(6000, 6001, JobOutcome.DeadLettered)]
    [InlineData(100, 101, JobOutcome.DeadLettered)]
    public async Task A_requests_prompt_is_held_to_the_configured_limit(int limit, int promptBytes, JobOutcome expected)
    {
        using var h = new JobProcessorHarness(maxPromptBytes: limit);
        h.Images.Images["a.png"] = Png;
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png", new string('a', promptBytes)));

        Assert.Equal(expected, await h.Processor.HandleAsync(job, CancellationToken.None));

        var result = Assert.Single(h.Store.Records).Result;
        Assert.Equal(expected == JobOutcome.Completed ? null : ErrorCodes.PromptInvalid, result.Error?.Code);
    }

    [Theory]
    [InlineData(6000, 6000, JobOutcome.Completed)]
    [InlineData(6000, 6001, JobOutcome.DeadLettered)]
    public async Task A_blob_events_metadata_prompt_is_held_to_the_configured_limit(int limit, int promptBytes, JobOutcome expected)
    {
        using var h = new JobProcessorHarness(maxPromptBytes: limit);
        h.Images.Images[Url] = Png;
        h.Images.Metadata[Url] = new Dictionary<string, string> { ["prompt"] = new string('a', promptBytes) };
        var job = new FakeReceivedJob(JobProcessorHarness.BlobEvent("evt-1", Url));

        Assert.Equal(expected, await h.Processor.HandleAsync(job, CancellationToken.None));

        var result = Assert.Single(h.Store.Records).Result;
        Assert.Equal(expected == JobOutcome.Completed ? null : ErrorCodes.PromptInvalid, result.Error?.Code);
    }
}
