using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IpIqa.TestSupport;
using IpIqa.Worker.Tests.Support;

namespace IpIqa.Worker.Tests.Faults;

/// <summary>
/// Fault injection on the local transport: the built worker drains a JSONL file of jobs with the
/// demo bundle (models/demo) and is SIGKILLed at random moments, then restarted, several times. Each restart
/// resumes from the results file: it hands to scoring exactly the jobs without a result line, and
/// afterwards every job has exactly one result line.
/// Set IPIQA_LOCAL_FAULT_JOBS and IPIQA_LOCAL_FAULT_KILLS for the longer run of docs/benchmarks.md.
/// </summary>
public sealed partial class LocalFaultTests(ITestOutputHelper output)
{
    private static readonly string[] Images = ["good-clean.png", "degraded-blur.png", "misaligned-wrong-colour.png"];

    [Fact]
    public async Task Every_job_has_exactly_one_result_after_repeated_sigkills_and_restarts_resume()
    {
        var jobs = Setting("IPIQA_LOCAL_FAULT_JOBS", 120);
        var kills = Setting("IPIQA_LOCAL_FAULT_KILLS", 6);
        using var work = new TempDirectory("ipiqa-local-faults");
        Directory.CreateDirectory(work.Combine("images"));
        foreach (var image in Images)
        {
            File.Copy(DemoBundle.Sample(image), work.Combine("images", image));
        }

        File.WriteAllLines(work.Combine("jobs.jsonl"), Enumerable.Range(0, jobs).Select(i =>
            JsonSerializer.Serialize(new { jobId = $"job-{i:D3}", image = new { path = Images[i % Images.Length] }, prompt = $"picture number {i} of a quiet harbour" })));

        var baseline = await RunAsync(DemoBundle.Folder, work, "baseline", kills: 0, jobs);
        var killed = await RunAsync(DemoBundle.Folder, work, "killed", kills, jobs);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"jobs {jobs}: no kill {baseline.Seconds:F1} s, {baseline.Scored} completed, {baseline.Handed} handed to scoring in {baseline.Runs} run; {kills} kills {killed.Seconds:F1} s, {killed.Scored} completed, {killed.Handed} handed to scoring in {killed.Runs} runs"));
        Assert.Equal(jobs, baseline.Handed);
        Assert.InRange(killed.Handed, jobs, jobs * (kills + 1));
    }

    private async Task<(double Seconds, int Handed, int Scored, int Runs)> RunAsync(string bundle, TempDirectory work, string name, int kills, int jobs)
    {
        var results = work.Combine($"{name}.jsonl");
        var random = new Random(20261207);
        var clock = Stopwatch.StartNew();
        var handed = 0;
        var scored = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            var before = Done(results);
            if (before == jobs)
            {
                // A fast machine drained every job before the last kill: there is nothing left to interrupt.
                break;
            }

            using var worker = Start(bundle, work, results);
            await worker.WaitUntilReceivingAsync(TimeSpan.FromSeconds(90));

            // Killed at a random moment once it is scoring (its first result is written), not while it loads.
            for (var deadline = DateTime.UtcNow.AddSeconds(60); Done(results) == before && !worker.HasExited && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(20);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
            await worker.KillAsync();
            handed += Handed(worker.Output, jobs - before);
            scored += ScoredLine().Count(worker.Output);
        }

        var remaining = jobs - Done(results);
        using (var last = Start(bundle, work, results))
        {
            Assert.True(await last.WaitForExitAsync(TimeSpan.FromMinutes(10)), $"the last drain did not finish:\n{last.Output}");
            handed += Handed(last.Output, remaining);
            scored += ScoredLine().Count(last.Output);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var lines = File.ReadAllLines(results).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var byJob = lines.GroupBy(l => l.GetProperty("jobId").GetString()!).ToDictionary(g => g.Key, g => g.ToArray());
        for (var i = 0; i < jobs; i++)
        {
            var job = $"job-{i:D3}";
            Assert.True(byJob.TryGetValue(job, out var found), $"{name}: {job} has no result");
            var line = Assert.Single(found);
            Assert.False(line.TryGetProperty("error", out var error), $"{name}: {job} failed: {error}");
        }

        Assert.Equal(jobs, lines.Length);
        return (seconds, handed, scored, kills + 1);
    }

    private static WorkerProcess Start(string bundle, TempDirectory work, string results)
    {
        var environment = AzuriteWorkerSettings.ToEnvironment(new Dictionary<string, string?>
        {
            ["IpIqa:Model:BundlePath"] = bundle,
            ["IpIqa:Model:ExecutionProvider"] = "Cpu",
            ["IpIqa:Batching:MaxBatchSize"] = "8",
            ["IpIqa:Transport:Kind"] = "Local",
            ["IpIqa:Local:JobsPath"] = work.Combine("jobs.jsonl"),
            ["IpIqa:Local:ImageRoot"] = work.Combine("images"),
            ["IpIqa:Local:ResultsPath"] = results,
            ["IpIqa:Local:Drain"] = "true",
            ["IpIqa:Health:Port"] = "0",
        });
        environment["Logging__LogLevel__IpIqa.Worker.Local.LocalJobSource"] = "Information";
        environment["Logging__LogLevel__IpIqa.Core.Jobs.JobProcessor"] = "Debug";
        return WorkerProcess.Start(environment, work.Path);
    }

    /// <summary>
    /// The jobs a run handed to scoring, from its "Found N new jobs" line (none when killed before it read
    /// the file), which must be the jobs without a complete result line when it started.
    /// </summary>
    private static int Handed(string log, int remaining)
    {
        var found = FoundLine().Matches(log);
        if (found.Count == 0)
        {
            return 0;
        }

        var handed = int.Parse(Assert.Single(found).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(handed == remaining, $"the run handed {handed} jobs to scoring; {remaining} had no result:\n{log}");
        return handed;
    }

    /// <summary>Complete result lines (a line torn by a kill is dropped by the next run).</summary>
    private static int Done(string results) =>
        File.Exists(results) ? File.ReadAllText(results).Count(c => c == '\n') : 0;

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    [GeneratedRegex(@"Found (\d+) new jobs")]
    private static partial Regex FoundLine();

    /// <summary>One per job scored and completed (the processor's debug line, logged once its result is written).</summary>
    [GeneratedRegex(@"\) scored quality ")]
    private static partial Regex ScoredLine();
}
