using IpIqa.Core.Contracts;
using IpIqa.Inference;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Onnx;
using IpIqa.Inference.Tests.Fakes;
using IpIqa.TestSupport;
using IpIqa.Worker.Health;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>A device that fails under the demo model: the worker, not the job, is at fault.</summary>
public sealed class DeviceFaultTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-device-fault");

    [Fact]
    public async Task A_device_fault_abandons_the_job_without_a_result_and_readiness_fails_until_a_batch_succeeds()
    {
        Directory.CreateDirectory(_folder.Combine("images"));
        File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", "good-clean.png"), _folder.Combine("images", "good-clean.png"));
        File.WriteAllLines(_folder.Combine("jobs.jsonl"), ["""{"jobId":"gpu-oom","image":{"path":"good-clean.png"},"prompt":"two red stars on the right, flat style"}"""]);
        FaultingModelSession? session = null;
        using var host = BuildDemoWorker(inner => session = new FaultingModelSession(inner) { Fault = new OutOfMemoryException("CUDA failure 2: out of memory") });
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await host.StartAsync();
        try
        {
            // While the device fails: readiness turns unhealthy and no result (no error result either) is written.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            HealthReport ready;
            do
            {
                Assert.Empty(Results());
                await Task.Delay(50, deadline.Token);
                ready = await health.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoint.ReadyTag), deadline.Token);
            }
            while (!ready.Entries.TryGetValue("device", out var device) || device.Status == HealthStatus.Healthy);

            Assert.Equal(HealthStatus.Unhealthy, ready.Entries["device"].Status);
            Assert.Contains("out of memory", ready.Entries["device"].Description, StringComparison.Ordinal);
            Assert.Equal(HealthStatus.Healthy, ready.Entries["model"].Status);
            Assert.Empty(Results());

            // The device recovers: the abandoned job comes again, is scored, and readiness recovers.
            session!.Fault = null;
            while (Results().Count == 0)
            {
                await Task.Delay(50, deadline.Token);
            }

            var result = Assert.Single(Results());
            Assert.Equal("gpu-oom", result.JobId);
            Assert.Null(result.Error);
            Assert.NotNull(result.Scores);
            Assert.True(session.FaultedRuns >= 1);
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoint.ReadyTag), deadline.Token)).Status);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    private List<ScoringResult> Results()
    {
        var path = _folder.Combine("results.jsonl");
        return File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(l)))]
            : [];
    }

    private IHost BuildDemoWorker(Func<IModelSession, IModelSession> wrap)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IpIqa:Model:BundlePath"] = Path.Combine(Fixtures.RepositoryRoot, "models", "demo"),
            ["IpIqa:Model:ExecutionProvider"] = "Cpu",
            ["IpIqa:Local:JobsPath"] = _folder.Combine("jobs.jsonl"),
            ["IpIqa:Local:ImageRoot"] = _folder.Combine("images"),
            ["IpIqa:Local:ResultsPath"] = _folder.Combine("results.jsonl"),
            ["IpIqa:Local:MaxAttempts"] = "10",
            ["IpIqa:Health:Port"] = "0",
        });

        // The real ONNX session, as the inference registration builds it, behind a failing device.
        builder.Services.AddSingleton<IModelSession>(sp => wrap(new OnnxModelSession(
            sp.GetRequiredService<ModelBundle>(),
            sp.GetRequiredService<IOptions<ModelOptions>>().Value,
            sp.GetRequiredService<IOptions<Core.Batching.DynamicBatcherOptions>>().Value.MaxBatchSize,
            sp.GetRequiredService<ILogger<OnnxModelSession>>())));
        builder.AddIpIqaWorker();
        builder.AddIpIqaScoring();
        return builder.Build();
    }
}
