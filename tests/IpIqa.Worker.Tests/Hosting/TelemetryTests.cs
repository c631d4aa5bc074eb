using System.Diagnostics;
using IpIqa.TestSupport;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IpIqa.Worker.Tests.Hosting;

[Collection(Support.SerialCollection.Name)]
public sealed class TelemetryTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-telemetry");

    [Fact]
    public async Task A_drain_exports_job_outcomes_stage_latencies_message_age_and_one_activity_per_job()
    {
        File.WriteAllBytes(_folder.Combine("a.png"), [1, 2, 3]);
        File.WriteAllLines(_folder.Combine("telemetry-jobs.jsonl"),
        [
            """{"jobId":"a","image":{"path":"a.png"},"prompt":"a red fox"}""",
            """{"jobId":"b","image":{"path":"missing.png"},"prompt":"a red fox"}""",
        ]);
        var metrics = new List<Metric>();
        var activities = new List<Activity>();
        using (var host = WorkerHostFactory.Build(
            new Dictionary<string, string?>
            {
                ["IpIqa:Local:JobsPath"] = _folder.Combine("telemetry-jobs.jsonl"),
                ["IpIqa:Local:ImageRoot"] = _folder.Path,
                ["IpIqa:Local:ResultsPath"] = _folder.Combine("results.jsonl"),
                ["IpIqa:Local:Drain"] = "true",
                ["IpIqa:Health:Port"] = "0",
            },
            configure: services =>
            {
                services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
                services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(activities));
            }))
        {
            await host.RunAsync();
        }

        var names = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains("ipiqa.jobs", names);
        Assert.Contains("ipiqa.stage.duration", names);
        Assert.Contains("ipiqa.message.age", names);
        var outcomes = new HashSet<string>();
        foreach (var metric in metrics.Where(m => m.Name == "ipiqa.jobs"))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    if (tag.Key == "outcome")
                    {
                        outcomes.Add((string)tag.Value!);
                    }
                }
            }
        }

        Assert.Equal(["completed", "dead_lettered"], outcomes.Order());
        // The activity source is process-wide: count only this test's messages.
        var ours = activities.Where(a => a.OperationName == "ipiqa.job" && a.GetTagItem("messaging.message.id") is string id && id.StartsWith("telemetry-jobs.jsonl:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, ours.Count);
        Assert.Equal(["completed", "dead_lettered"], ours.Select(a => (string)a.GetTagItem("ipiqa.outcome")!).Order());
    }

    public void Dispose() => _folder.Dispose();
}
