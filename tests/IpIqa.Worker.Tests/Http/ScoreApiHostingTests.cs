using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.Worker.Tests.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Http;

/// <summary>The scoring API as deployed: secure by default, beside a queue or alone, under load (#13).</summary>
public sealed class ScoreApiHostingTests
{
    private static readonly object OneItem = new { items = new[] { new { image = new { base64 = "AQID" }, prompt = "a red fox" } } };

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    public async Task A_non_loopback_address_without_auth_stops_the_start_naming_the_keys(string address)
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Local:JobsPath"] = "jobs",
            ["IpIqa:Local:ResultsPath"] = "results.jsonl",
            ["IpIqa:Health:Port"] = "0",
            ["IpIqa:Http:Enabled"] = "true",
            ["IpIqa:Http:Address"] = address,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("IpIqa:Http:Auth=EntraId, or IpIqa:Http:AllowAnonymous=true", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://login.example.com/tenant/v2.0", "api://ipiqa", "must be an https URI")]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0", null, "IpIqa:Http:Audience is required")]
    public async Task Entra_id_needs_an_https_authority_and_an_audience(string authority, string? audience, string message)
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Local:JobsPath"] = "jobs",
            ["IpIqa:Local:ResultsPath"] = "results.jsonl",
            ["IpIqa:Health:Port"] = "0",
            ["IpIqa:Http:Enabled"] = "true",
            ["IpIqa:Http:Auth"] = "EntraId",
            ["IpIqa:Http:Authority"] = authority,
            ["IpIqa:Http:Audience"] = audience,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_entra_id_a_request_without_a_token_is_401_and_the_openapi_document_stays_public()
    {
        await using var api = await ApiHost.StartAsync(new()
        {
            ["IpIqa:Http:Auth"] = "EntraId",
            ["IpIqa:Http:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
            ["IpIqa:Http:Audience"] = "api://ipiqa",
        });

        using var score = await api.Client.PostAsJsonAsync("/v1/score", OneItem);
        using var model = await api.Client.GetAsync("/v1/model");
        using var openApi = await api.Client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, score.StatusCode);
        Assert.Contains("Bearer", score.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var refusal = await score.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unauthorized", refusal.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, model.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
    }

    [Fact]
    public async Task The_api_and_the_local_queue_score_in_one_process()
    {
        await using var api = await ApiHost.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(api.Folder, "a.png"), [1, 2, 3, 4]);
        await File.WriteAllTextAsync(Path.Combine(api.Folder, "jobs", "job.json"), """{"jobId": "queued", "image": {"path": "a.png"}, "prompt": "from the queue"}""");

        using var response = await api.Client.PostAsJsonAsync("/v1/score", OneItem);
        var results = Path.Combine(api.Folder, "results.jsonl");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !(File.Exists(results) && File.ReadAllText(results).Contains("queued", StringComparison.Ordinal)) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = JsonDocument.Parse(File.ReadAllLines(results).Single()).RootElement;
        Assert.Equal("queued", line.GetProperty("jobId").GetString());
        Assert.Equal(FakeScorer.Expected([1, 2, 3, 4], "from the queue").Quality, line.GetProperty("scores").GetProperty("quality").GetDouble());
    }

    [Fact]
    public async Task Transport_kind_http_serves_the_api_alone()
    {
        await using var api = await ApiHost.StartAsync(new() { ["IpIqa:Transport:Kind"] = "Http" });

        using var response = await api.Client.PostAsJsonAsync("/v1/score", OneItem);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(api.Folder, "results.jsonl")), "no queue, no results file");
    }

    [Fact]
    public async Task Under_load_every_answer_is_a_result_or_a_documented_429_and_the_bound_frees()
    {
        var scorer = new FakeScorer { Before = (_, token) => Task.Delay(2, token) };
        await using var api = await ApiHost.StartAsync(new() { ["IpIqa:Http:MaxItemsInFlight"] = "16" }, scorer);
        var four = new { items = Enumerable.Range(0, 4).Select(i => new { image = new { base64 = Convert.ToBase64String([(byte)i, 7]) }, prompt = $"prompt {i}" }).ToArray() };

        var statuses = await Task.WhenAll(Enumerable.Range(0, 400).Select(async _ =>
        {
            using var response = await api.Client.PostAsJsonAsync("/v1/score", four);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
                Assert.Equal(4, results.GetArrayLength());
                foreach (var r in results.EnumerateArray())
                {
                    Assert.True(r.TryGetProperty("scores", out JsonElement _), r.ToString());
                }
            }

            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"status {s}"));
        Assert.Contains(HttpStatusCode.OK, statuses);
        using var after = await api.Client.PostAsJsonAsync("/v1/score", four);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
