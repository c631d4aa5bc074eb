using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IpIqa.Worker.Tests.Hosting;

public sealed class LocalDrainTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-drain");

    [Fact]
    public async Task Drain_scores_what_is_there_writes_each_job_once_and_stops()
    {
        Directory.CreateDirectory(_folder.Combine("images"));
        File.WriteAllBytes(_folder.Combine("images", "a.png"), [1, 2, 3]);
        File.WriteAllBytes(_folder.Combine("images", "b.png"), [7, 7]);
        File.WriteAllBytes(_folder.Combine("images", "bad.png"), "BAD"u8.ToArray());
        File.WriteAllLines(_folder.Combine("jobs.jsonl"),
        [
            """{"jobId":"a","image":{"path":"a.png"},"prompt":"a red fox"}""",
            "",
            """{"jobId":"b","image":{"path":"b.png"},"prompt":"a blue bird","thresholds":{"quality":0.99}}""",
            """{"jobId":"c","image":{"path":"../jobs.jsonl"},"prompt":"escape"}""",
            """{"jobId":"d","image":{"path":"bad.png"},"prompt":"broken"}""",
            "this is not json",
        ]);

        Assert.Equal(ExitCodes.InputsFailed, await RunDrainAsync());
        Assert.Equal(ExitCodes.InputsFailed, await RunDrainAsync());

        var lines = File.ReadAllLines(_folder.Combine("results.jsonl")).Select(l => ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(l))).ToList();
        Assert.Equal(5, lines.Count);
        var byJob = lines.ToDictionary(r => r.JobId ?? "(none)");
        Assert.Equal(FakeScorer.Expected(new byte[] { 1, 2, 3 }, "a red fox"), byJob["a"].Scores);
        Assert.Equal(Verdict.Pass, byJob["a"].Verdict!.Outcome);
        Assert.Equal(Verdict.Fail, byJob["b"].Verdict!.Outcome);
        Assert.Equal("source_not_allowed", byJob["c"].Error!.Code);
        Assert.Equal("image_undecodable", byJob["d"].Error!.Code);
        Assert.Equal("message_invalid", byJob["(none)"].Error!.Code);
    }

    public void Dispose() => _folder.Dispose();

    private async Task<int> RunDrainAsync()
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Local:JobsPath"] = _folder.Combine("jobs.jsonl"),
            ["IpIqa:Local:ImageRoot"] = _folder.Combine("images"),
            ["IpIqa:Local:ResultsPath"] = _folder.Combine("results.jsonl"),
            ["IpIqa:Local:Drain"] = "true",
            ["IpIqa:Health:Port"] = "0",
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var state = host.Services.GetRequiredService<WorkerState>();
        await host.RunAsync(timeout.Token);
        Assert.False(timeout.IsCancellationRequested, "the drain did not stop the host by itself");
        return state.ExitCode;
    }
}
