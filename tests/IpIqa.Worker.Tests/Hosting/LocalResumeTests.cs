using System.Text.Json;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using Microsoft.Extensions.Hosting;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>The local transport: one result per job, resume from the results file, bytes as written (#11).</summary>
public sealed class LocalResumeTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-resume");

    public LocalResumeTests()
    {
        Directory.CreateDirectory(_folder.Combine("images"));
        File.WriteAllBytes(_folder.Combine("images", "a.png"), [1, 2, 3]);
    }

    [Fact]
    public async Task Restart_scores_only_the_jobs_without_a_result()
    {
        var jobs = _folder.Combine("jobs.jsonl");
        File.WriteAllLines(jobs, [Job("j1"), Job("j2"), Job("j3")]);
        var first = new FakeScorer();
        await RunDrainAsync(first);
        File.AppendAllLines(jobs, [Job("j4"), Job("j5")]);
        var second = new FakeScorer();

        await RunDrainAsync(second);

        Assert.Equal(3, first.Inputs.Count);
        Assert.Equal(2, second.Inputs.Count);
        Assert.Equal(["j1", "j2", "j3", "j4", "j5"], Results().Select(r => r.GetProperty("jobId").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Same_image_and_prompt_in_two_jobs_and_identical_bad_lines_give_one_result_each()
    {
        File.WriteAllLines(_folder.Combine("jobs.jsonl"),
        [
            Job("strict", ""","correlationId":"c-1","thresholds":{"quality":0.999}"""),
            Job("lenient", ""","correlationId":"c-2","thresholds":{"quality":0.0}"""),
            Job("lenient", ""","correlationId":"c-2","thresholds":{"quality":0.0}"""),
            "this is not json",
            "this is not json",
        ]);

        await RunDrainAsync(new FakeScorer());

        var results = Results();
        Assert.Equal(["jobs.jsonl:1", "jobs.jsonl:2", "jobs.jsonl:3", "jobs.jsonl:4", "jobs.jsonl:5"], results.Select(r => r.GetProperty("messageId").GetString()));
        Assert.Equal(5, results.Select(r => r.GetProperty("resultKey").GetString()).Distinct().Count());
        Assert.Equal("fail", results[0].GetProperty("verdict").GetProperty("outcome").GetString());
        Assert.Equal("pass", results[1].GetProperty("verdict").GetProperty("outcome").GetString());
        Assert.Equal(("strict", "c-1"), (results[0].GetProperty("jobId").GetString(), results[0].GetProperty("correlationId").GetString()));
        Assert.Equal("message_invalid", results[4].GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invalid_utf8_in_a_job_line_is_message_invalid_not_scored()
    {
        byte[] bad = [.. "{\"jobId\":\"u\",\"image\":{\"path\":\"a.png\"},\"prompt\":\"a "u8, 0xFF, .. " fox\"}\n"u8];
        File.WriteAllBytes(_folder.Combine("jobs.jsonl"), bad);
        var scorer = new FakeScorer();

        await RunDrainAsync(scorer);

        Assert.Empty(scorer.Inputs);
        var result = Assert.Single(Results());
        Assert.Equal("message_invalid", result.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("jobs.jsonl:1", result.GetProperty("messageId").GetString());
    }

    public void Dispose() => _folder.Dispose();

    private static string Job(string id, string extra = "") =>
        $$"""{"jobId":"{{id}}","image":{"path":"a.png"},"prompt":"a red fox"{{extra}}}""";

    /// <summary>The result lines in message order (jobs run in parallel, so the file's order may differ).</summary>
    private JsonElement[] Results() =>
        [.. File.ReadAllLines(_folder.Combine("results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).OrderBy(r => r.GetProperty("messageId").GetString(), StringComparer.Ordinal)];

    private async Task RunDrainAsync(FakeScorer scorer)
    {
        using var host = WorkerHostFactory.Build(
            new Dictionary<string, string?>
            {
                ["IpIqa:Local:JobsPath"] = _folder.Combine("jobs.jsonl"),
                ["IpIqa:Local:ImageRoot"] = _folder.Combine("images"),
                ["IpIqa:Local:ResultsPath"] = _folder.Combine("results.jsonl"),
                ["IpIqa:Local:Drain"] = "true",
                ["IpIqa:Health:Port"] = "0",
            },
            scorer);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.RunAsync(timeout.Token);
        Assert.False(timeout.IsCancellationRequested, "the drain did not stop the host by itself");
    }
}
