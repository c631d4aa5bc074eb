using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

// Bounded closed-loop load on POST /v1/score: C clients, each sending its next request when the
// previous one is answered, every request with K images (base64) taken in turn from a folder of
// images with same-named .txt prompts. One JSON line per (C, K): requests, images/s, latency
// percentiles, the share answered 429, any other failure, and the process's working set.
//
// usage: http-load URL IMAGES CONCURRENCIES ITEMS SECONDS [WARMUP_S]
//   e.g. http-load http://127.0.0.1:8081 samples 1,4,16,64 1,8 30 5
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: http-load URL IMAGES CONCURRENCIES(1,4,16) ITEMS(1,8) SECONDS [WARMUP_S]");
    return 2;
}

var url = new Uri(new Uri(args[0]), "/v1/score");
var images = Directory.EnumerateFiles(args[1])
    .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
    .Order(StringComparer.Ordinal)
    .Select(f => (Base64: Convert.ToBase64String(File.ReadAllBytes(f)), Prompt: File.ReadAllText(Path.ChangeExtension(f, ".txt")).Trim()))
    .ToArray();
var concurrencies = args[2].Split(',').Select(int.Parse).ToArray();
var itemCounts = args[3].Split(',').Select(int.Parse).ToArray();
var seconds = double.Parse(args[4], CultureInfo.InvariantCulture);
var warmup = args.Length > 5 ? double.Parse(args[5], CultureInfo.InvariantCulture) : 5;
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = TimeSpan.FromMinutes(5) };

foreach (var items in itemCounts)
{
    var bodies = Enumerable.Range(0, images.Length).Select(start => Body(start, items)).ToArray();
    foreach (var concurrency in concurrencies)
    {
        await RunAsync(concurrency, bodies, TimeSpan.FromSeconds(warmup), record: false);
        var (latencies, ok, rejected, failed, elapsed) = await RunAsync(concurrency, bodies, TimeSpan.FromSeconds(seconds), record: true);
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        var total = ok + rejected + failed;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            concurrency,
            items,
            requests = total,
            images_per_s = Math.Round(ok * items / elapsed, 2),
            p50_ms = Math.Round(P(0.50), 1),
            p95_ms = Math.Round(P(0.95), 1),
            p99_ms = Math.Round(P(0.99), 1),
            rejected_share = total == 0 ? 0 : Math.Round((double)rejected / total, 4),
            failed,
        }));
    }
}

return 0;

byte[] Body(int start, int items)
{
    var list = Enumerable.Range(0, items).Select(i => images[(start + i) % images.Length]).Select(x => new { image = new { base64 = x.Base64 }, prompt = x.Prompt });
    return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { items = list }));
}

async Task<(List<double> Latencies, int Ok, int Rejected, int Failed, double Elapsed)> RunAsync(int concurrency, byte[][] bodies, TimeSpan duration, bool record)
{
    var latencies = new List<double>();
    int ok = 0, rejected = 0, failed = 0, next = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (clock.Elapsed < duration)
        {
            var body = bodies[Interlocked.Increment(ref next) % bodies.Length];
            var started = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            try
            {
                using var response = await http.PostAsync(url, content);
                await response.Content.ReadAsByteArrayAsync();
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        ok++;
                        latencies.Add(ms);
                    }
                    else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        rejected++;
                    }
                    else
                    {
                        failed++;
                    }
                }

                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1) / 10);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
        }
    }));
    return (latencies, ok, rejected, failed, clock.Elapsed.TotalSeconds);
}
