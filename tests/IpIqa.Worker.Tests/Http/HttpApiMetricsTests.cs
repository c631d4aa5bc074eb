using System.Net;
using System.Net.Http.Json;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IpIqa.Worker.Tests.Http;

/// <summary>The scoring API's requests reach the metrics pipeline (and so <c>/metrics</c>), with bounded tags (#13).</summary>
public sealed class HttpApiMetricsTests
{
    [Fact]
    public async Task Requests_are_counted_by_route_method_and_status_and_a_callers_path_never_becomes_a_tag()
    {
        var metrics = new List<Metric>();
        await using (var api = await ApiHost.StartAsync(configure: services => services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics))))
        {
            using var scored = await api.Client.PostAsJsonAsync("/v1/score", new { items = new[] { new { image = new { base64 = "AQID" }, prompt = "a red fox" } } });
            using var model = await api.Client.GetAsync("/v1/model");
            using var unknown = await api.Client.GetAsync("/secret-path-chosen-by-a-caller");
            using var invented = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), "/v1/model"));
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var points = new List<(string Route, string Method, int Status, long Count)>();
        foreach (var metric in metrics.Where(m => m.Name == "ipiqa.http.requests"))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                string? route = null, method = null;
                var status = 0;
                foreach (var tag in point.Tags)
                {
                    switch (tag.Key)
                    {
                        case "route": route = (string)tag.Value!; break;
                        case "method": method = (string)tag.Value!; break;
                        case "status": status = Convert.ToInt32(tag.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                    }
                }

                points.Add((route!, method!, status, point.GetSumLong()));
            }
        }

        Assert.Contains(points, p => p is { Route: "/v1/score", Method: "POST", Status: 200 } && p.Count >= 1);
        Assert.Contains(points, p => p is { Route: "/v1/model", Method: "GET", Status: 200 });
        Assert.Contains(points, p => p is { Route: "unmatched", Method: "GET", Status: 404 });
        Assert.Contains(points, p => p.Method == "other");
        Assert.DoesNotContain(points, p => p.Route.Contains("secret", StringComparison.Ordinal) || p.Method == "BREW");
        Assert.Contains(metrics, m => m.Name == "ipiqa.http.request.duration");
    }
}
