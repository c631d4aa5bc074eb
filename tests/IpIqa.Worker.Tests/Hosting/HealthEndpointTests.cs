using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IpIqa.TestSupport;
using Microsoft.Extensions.Hosting;

namespace IpIqa.Worker.Tests.Hosting;

public sealed class HealthEndpointTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-health");

    [Fact]
    public async Task Live_and_ready_answer_200_with_each_check_once_the_model_is_loaded()
    {
        Directory.CreateDirectory(_folder.Combine("jobs"));

        // A free port can be taken by another process between the probe and the worker's bind (the
        // endpoint then logs that it cannot listen); a new port is tried then, at most three times.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
            {
                ["IpIqa:Local:JobsPath"] = _folder.Combine("jobs"),
                ["IpIqa:Local:ImageRoot"] = _folder.Path,
                ["IpIqa:Local:ResultsPath"] = _folder.Combine("results.jsonl"),
                ["IpIqa:Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            await host.StartAsync();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                JsonElement live;
                try
                {
                    live = await GetAsync(http, "/healthz/live", HttpStatusCode.OK);
                }
                catch (HttpRequestException) when (attempt < 3)
                {
                    continue;
                }

                var ready = await GetAsync(http, "/healthz/ready", HttpStatusCode.OK);
                Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/healthz/other", UriKind.Relative))).StatusCode);

                Assert.Equal("Healthy", live.GetProperty("status").GetString());
                Assert.StartsWith("Healthy", ready.GetProperty("model").GetString(), StringComparison.Ordinal);
                Assert.StartsWith("Healthy", ready.GetProperty("transport").GetString(), StringComparison.Ordinal);
                return;
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == expected || DateTime.UtcNow > deadline)
                {
                    Assert.Equal(expected, response.StatusCode);
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // The listener is still starting.
            }

            await Task.Delay(100);
        }
    }
}
