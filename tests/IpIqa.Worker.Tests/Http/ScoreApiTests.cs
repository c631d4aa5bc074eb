using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IpIqa.Core.Errors;
using IpIqa.Core.Tests.Jobs.Fakes;

namespace IpIqa.Worker.Tests.Http;

/// <summary><c>POST /v1/score</c> and <c>GET /v1/model</c> on a real socket, with the fake scorer (#13).</summary>
public sealed class ScoreApiTests
{
    [Fact]
    public async Task Json_items_are_scored_in_order_each_with_the_queue_result_contract()
    {
        await using var api = await ApiHost.StartAsync();
        byte[] fox = [1, 2, 3];
        var body = new
        {
            items = new object[]
            {
                new { image = new { base64 = Convert.ToBase64String(fox) }, prompt = "a red fox" },
                new { image = new { path = "x.png" }, prompt = "p" },
                new { image = new { base64 = "@@not base64@@" }, prompt = "p" },
                new { image = new { base64 = Convert.ToBase64String([9, 9]) } },
                new { jobId = "mine", image = new { base64 = Convert.ToBase64String("BAD image"u8.ToArray()) }, prompt = "p" },
                new { image = new { uri = "https://elsewhere.example/a.png" }, prompt = "p" },
            },
        };

        using var response = await api.Client.PostAsJsonAsync("/v1/score", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(6, results.Length);
        var expected = FakeScorer.Expected(fox, "a red fox");
        Assert.Equal("item-0", results[0].GetProperty("jobId").GetString());
        Assert.Equal("items[0]", results[0].GetProperty("image").GetProperty("path").GetString());
        Assert.Equal(expected.Quality, results[0].GetProperty("scores").GetProperty("quality").GetDouble());
        Assert.Equal(expected.Alignment, results[0].GetProperty("scores").GetProperty("alignment").GetDouble());
        Assert.True(results[0].GetProperty("verdict").GetProperty("passed").GetBoolean());
        Assert.Equal("a red fox", results[0].GetProperty("prompt").GetString());
        Assert.Equal("fake-model", results[0].GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(ErrorCodes.SourceNotAllowed, Code(results[1]));
        Assert.Equal(ErrorCodes.MessageInvalid, Code(results[2]));
        Assert.Equal(ErrorCodes.PromptMissing, Code(results[3]));
        Assert.Equal("image_undecodable", Code(results[4]));
        Assert.Equal("mine", results[4].GetProperty("jobId").GetString());
        Assert.Equal(ErrorCodes.SourceNotAllowed, Code(results[5]));
    }

    [Fact]
    public async Task Multipart_image_parts_pair_with_prompt_fields_in_order()
    {
        await using var api = await ApiHost.StartAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent([4, 5]), "image", "a.png" },
            { new StringContent("first prompt"), "prompt" },
            { new ByteArrayContent([6, 7, 8]), "image", "b.png" },
            { new StringContent("second"), "prompt" },
        };

        using var response = await api.Client.PostAsync("/v1/score", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(FakeScorer.Expected([4, 5], "first prompt").Quality, results[0].GetProperty("scores").GetProperty("quality").GetDouble());
        Assert.Equal(FakeScorer.Expected([6, 7, 8], "second").Alignment, results[1].GetProperty("scores").GetProperty("alignment").GetDouble());
    }

    [Fact]
    public async Task A_request_the_api_cannot_read_is_refused_whole_with_a_code()
    {
        await using var api = await ApiHost.StartAsync(new() { ["IpIqa:Http:MaxItems"] = "2", ["IpIqa:Http:MaxBodyBytes"] = "4096" });
        var item = new { image = new { base64 = "AQID" }, prompt = "p" };

        await AssertProblemAsync(api.Client.PostAsync("/v1/score", new StringContent("{\"items\": [", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "request_invalid");
        await AssertProblemAsync(api.Client.PostAsJsonAsync("/v1/score", new { images = Array.Empty<object>() }), HttpStatusCode.BadRequest, "request_invalid");
        await AssertProblemAsync(api.Client.PostAsJsonAsync("/v1/score", new { items = Array.Empty<object>() }), HttpStatusCode.BadRequest, "request_invalid");
        await AssertProblemAsync(api.Client.PostAsJsonAsync("/v1/score", new { items = new[] { item, item, item } }), HttpStatusCode.BadRequest, "request_invalid");
        // Routing refuses a content type the endpoint does not accept (its OpenAPI metadata), before the
        // handler; the refusal still has the API's error shape.
        await AssertProblemAsync(api.Client.PostAsync("/v1/score", new StringContent("hello", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await AssertProblemAsync(api.Client.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(api.Client.GetAsync("/v1/score"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");

        var big = JsonSerializer.Serialize(new { items = new[] { new { image = new { base64 = Convert.ToBase64String(new byte[8192]) }, prompt = "p" } } });
        await AssertProblemAsync(api.Client.PostAsync("/v1/score", new StringContent(big, Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        // Without a length (chunked), the body is stopped as it comes, with the same answer.
        await AssertProblemAsync(api.Client.PostAsJsonAsync("/v1/score", JsonDocument.Parse(big).RootElement), HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        // The API still serves after each refusal.
        using var ok = await api.Client.PostAsJsonAsync("/v1/score", new { items = new[] { item } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Items_beyond_the_in_flight_bound_get_429_with_retry_after_never_a_queue()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scorer = new FakeScorer
        {
            Before = async (_, token) =>
            {
                entered.TrySetResult();
                await release.Task.WaitAsync(token);
            },
        };
        await using var api = await ApiHost.StartAsync(new() { ["IpIqa:Http:MaxItemsInFlight"] = "2" }, scorer);
        var two = new { items = new[] { new { image = new { base64 = "AQID" }, prompt = "p" }, new { image = new { base64 = "AQIE" }, prompt = "q" } } };

        var first = api.Client.PostAsJsonAsync("/v1/score", two);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using (var refused = await api.Client.PostAsJsonAsync("/v1/score", new { items = new[] { two.items[0] } }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("overloaded", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        }

        release.SetResult();
        using var done = await first;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        using var after = await api.Client.PostAsJsonAsync("/v1/score", two);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Bodies_held_at_once_are_bounded_in_bytes_so_slow_large_uploads_get_429()
    {
        await using var api = await ApiHost.StartAsync(new() { ["IpIqa:Http:MaxBodyBytes"] = "4096" });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Four uploads of unknown length each reserve the largest body (4 × 4096 bytes): the budget is full.
        var held = Enumerable.Range(0, 4).Select(_ => api.Client.PostAsync("/v1/score", new StalledBody(release.Task))).ToArray();
        await Task.Delay(500);
        using (var refused = await api.Client.PostAsJsonAsync("/v1/score", new { items = new[] { new { image = new { base64 = "AQID" }, prompt = "p" } } }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("request bytes", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        release.SetResult();
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        using var after = await api.Client.PostAsJsonAsync("/v1/score", new { items = new[] { new { image = new { base64 = "AQID" }, prompt = "p" } } });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task The_model_endpoint_and_the_openapi_document_describe_the_api()
    {
        await using var api = await ApiHost.StartAsync(new() { ["IpIqa:Thresholds:Quality"] = "0.25" });

        var model = await api.Client.GetFromJsonAsync<JsonElement>("/v1/model");
        var openApi = await api.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.Equal("fake-model", model.GetProperty("name").GetString());
        Assert.Equal("0123456789ab", model.GetProperty("hash").GetString());
        Assert.Equal(0.25, model.GetProperty("qualityThreshold").GetDouble());
        Assert.Equal(64, model.GetProperty("maxItems").GetInt32());
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/score", out var score));
        Assert.True(score.GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(paths.TryGetProperty("/v1/model", out _));
    }

    private static string? Code(JsonElement result) => result.GetProperty("error").GetProperty("code").GetString();

    [Theory]
    [InlineData("{\"items\": [{\"image\": {\"base64\": \"AQID\"}, \"prompt\": \"a\", \"prompt\": \"b\"}]}")]
    [InlineData("{\"items\": [{\"image\": {\"base64\": \"AQID\", \"base64\": \"BAUG\"}, \"prompt\": \"a\"}]}")]
    [InlineData("{\"items\": [{\"image\": {\"base64\": \"AQID\"}, \"prompt\": \"a\"}], \"items\": []}")]
    public async Task A_body_with_a_duplicated_property_is_invalid_not_a_store_to_retry(string body)
    {
        // The queue's parser refuses any duplicate (message_invalid); a body that holds one is refused as not
        // being the API's JSON, never answered 503 with Retry-After as if a store were down.
        await using var api = await ApiHost.StartAsync();

        await AssertProblemAsync(api.Client.PostAsync("/v1/score", new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "request_invalid");
    }

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> send, HttpStatusCode status, string code)
    {
        using var response = await send;
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/json").MediaType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>A JSON body of unknown length that sends its first half, then waits for <paramref name="release"/>.</summary>
    private sealed class StalledBody : HttpContent
    {
        private readonly Task _release;

        public StalledBody(Task release)
        {
            _release = release;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{\"items\": [{\"image\": {\"base64\": \"AQID\"}, "u8.ToArray());
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync("\"prompt\": \"p\"}]}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
