using System.Globalization;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.Worker.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IpIqa.Worker.Tests.Http;

/// <summary>
/// A worker with the scoring API on a free loopback port (a real Kestrel socket), beside the local transport on a
/// folder of its own, and a client for it. A port taken between the probe and the bind is retried on another.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory _folder;

    private ApiHost(IHost host, TempDirectory folder, int port)
    {
        _host = host;
        _folder = folder;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public HttpClient Client { get; }

    public string Folder => _folder.Path;

    public static async Task<ApiHost> StartAsync(Dictionary<string, string?>? settings = null, IImageScorer? scorer = null, Action<IServiceCollection>? configure = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var folder = new TempDirectory("ipiqa-http");
            Directory.CreateDirectory(folder.Combine("jobs"));
            var port = FreePorts.Next();
            var all = new Dictionary<string, string?>
            {
                ["IpIqa:Local:JobsPath"] = folder.Combine("jobs"),
                ["IpIqa:Local:ImageRoot"] = folder.Path,
                ["IpIqa:Local:ResultsPath"] = folder.Combine("results.jsonl"),
                ["IpIqa:Health:Port"] = "0",
                ["IpIqa:Http:Enabled"] = "true",
                ["IpIqa:Http:Port"] = port.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in settings ?? [])
            {
                all[key] = value;
            }

            var host = WorkerHostFactory.Build(all, scorer ?? new FakeScorer(), configure);
            try
            {
                await host.StartAsync();
                return new ApiHost(host, folder, port);
            }
            catch (IOException) when (attempt < 3)
            {
                host.Dispose();
                folder.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        _folder.Dispose();
    }
}
