using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IpIqa.TestSupport;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>
/// The health port under abuse, with the demo model scoring local jobs: abrupt clients cannot stop
/// the worker, and the probes keep answering. <c>/metrics</c> serves the job series in Prometheus text.
/// </summary>
[Collection(Support.SerialCollection.Name)]
public sealed class HealthAttackTests : IDisposable
{
    private const int Jobs = 200;

    private readonly TempDirectory _folder = new("ipiqa-health-attack");

    [Fact]
    public async Task Thousands_of_abrupt_connections_neither_stop_scoring_nor_the_live_probe()
    {
        WriteJobs(Jobs);
        var port = FreePorts.Next();
        using var host = BuildDemoWorker(port);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await host.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal(HttpStatusCode.OK, await WaitForLiveAsync(http));

            using var done = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var probes = new List<string>();
            var attack = new HealthAttack(port);
            var attacking = attack.RunAsync(abrupt: 3000, halfSent: 60, concurrency: 32, done.Token);
            var scoring = WaitForResultsAsync(Jobs, lifetime.ApplicationStopping, done.Token);
            while (!(attacking.IsCompleted && scoring.IsCompleted) && !lifetime.ApplicationStopping.IsCancellationRequested && !done.IsCancellationRequested)
            {
                probes.Add(await ProbeAsync(http));
                await Task.Delay(200, CancellationToken.None);
            }

            Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "The worker stopped under the attack.");
            await attacking;
            Assert.Equal(Jobs, await scoring);
            Assert.Equal(0, attack.Refused);
            Assert.True(attack.Closed + attack.Reset >= 2900, $"{attack.Closed} closed and {attack.Reset} reset connections");
            Assert.Equal(attack.Held, attack.DroppedByServer);
            Assert.NotEmpty(probes);
            Assert.All(probes, p => Assert.Equal("OK", p));
            Assert.Equal("OK", await ProbeAsync(http));
            Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "The worker stopped after the attack.");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Metrics_serves_job_outcomes_batch_sizes_stage_latencies_cache_and_in_flight_series_in_Prometheus_text()
    {
        WriteJobs(6);
        File.AppendAllLines(_folder.Combine("jobs.jsonl"), ["""{"jobId":"missing","image":{"path":"missing.png"},"prompt":"a red fox"}"""]);
        var port = FreePorts.Next();
        using var host = BuildDemoWorker(port);
        await host.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal(HttpStatusCode.OK, await WaitForLiveAsync(http));
            using var done = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            Assert.Equal(7, await WaitForResultsAsync(7, CancellationToken.None, done.Token));

            // The exporter caches a scrape briefly; read until the last job's outcome is in.
            string text;
            do
            {
                using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative), done.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
                text = await response.Content.ReadAsStringAsync(done.Token);
                await Task.Delay(100, done.Token);
            }
            while (!text.Contains("outcome=\"dead_lettered\"", StringComparison.Ordinal));

            Assert.Contains("# TYPE ipiqa_jobs_total counter", text, StringComparison.Ordinal);
            Assert.Matches("ipiqa_jobs_total\\{[^}]*outcome=\"completed\"[^}]*\\} [1-9]", text);
            Assert.Contains("# TYPE ipiqa_batch_size histogram", text, StringComparison.Ordinal);
            Assert.Matches("ipiqa_batch_size_count\\{?[^ ]*\\}? [1-9]", text);
            Assert.Contains("ipiqa_stage_duration_milliseconds_bucket{", text, StringComparison.Ordinal);
            Assert.Contains("stage=\"model\"", text, StringComparison.Ordinal);
            Assert.Contains("ipiqa_text_cache_misses_total", text, StringComparison.Ordinal);
            Assert.Contains("ipiqa_images_in_flight", text, StringComparison.Ordinal);

            // The runtime's meter: an operator sets a job's cost against the process's CPU, GC and JIT.
            Assert.Matches("dotnet_process_cpu_time_seconds_total\\{[^}]*\\} [0-9]", text);
            Assert.Contains("dotnet_jit_compilation_time_seconds_total", text, StringComparison.Ordinal);
            Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    private IHost BuildDemoWorker(int port)
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
            ["IpIqa:Health:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["IpIqa:Health:Address"] = "127.0.0.1",
            ["IpIqa:Health:RequestHeadersTimeout"] = "00:00:02",
        });
        builder.AddIpIqaWorker();
        builder.AddIpIqaScoring();
        return builder.Build();
    }

    private void WriteJobs(int count)
    {
        Directory.CreateDirectory(_folder.Combine("images"));
        var images = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot, "samples"), "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        foreach (var image in images)
        {
            File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", image!), _folder.Combine("images", image!));
        }

        // Distinct prompts give every job its own result line.
        File.WriteAllLines(_folder.Combine("jobs.jsonl"), Enumerable.Range(0, count).Select(i =>
            $$"""{"jobId":"job-{{i}}","image":{"path":"{{images[i % images.Length]}}"},"prompt":"{{i}} red stars on the right"}"""));
    }

    private async Task<int> WaitForResultsAsync(int expected, CancellationToken stopping, CancellationToken cancellationToken)
    {
        var path = _folder.Combine("results.jsonl");
        while (!stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var lines = File.Exists(path) ? CountLines(path) : 0;
            if (lines >= expected)
            {
                return lines;
            }

            await Task.Delay(200, CancellationToken.None);
        }

        return File.Exists(path) ? CountLines(path) : 0;
    }

    private static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is not null)
        {
            count++;
        }

        return count;
    }

    /// <summary>One probe as a kubelet sends it: a new connection, closed after the reply.</summary>
    private static async Task<string> ProbeAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/healthz/live", UriKind.Relative));
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode.ToString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }

    private static async Task<HttpStatusCode> WaitForLiveAsync(HttpClient http)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz/live", UriKind.Relative));
                return response.StatusCode;
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
