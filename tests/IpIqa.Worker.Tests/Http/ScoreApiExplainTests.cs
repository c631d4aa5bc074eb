using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace IpIqa.Worker.Tests.Http;

/// <summary>
/// <c>"explain": {"words": true}</c> on an HTTP item (#15): read by the queue's parser, gated by
/// <c>IpIqa:Sinks:Explain</c> and its word cap, answered with each word and its alignment drop.
/// </summary>
public sealed class ScoreApiExplainTests
{
    [Fact]
    public async Task Http_items_get_words_within_the_cap_too_many_words_beyond_it_and_a_mistyped_flag_is_message_invalid()
    {
        var scorer = new FakeScorer();
        using var explain = new TempDirectory("ipiqa-http-explain");
        var settings = new Dictionary<string, string?>
        {
            ["IpIqa:Sinks:Explain:Enabled"] = "true",
            ["IpIqa:Sinks:Explain:Folder"] = explain.Path,
            ["IpIqa:Sinks:Explain:MaxWords"] = "3",
        };
        await using var api = await ApiHost.StartAsync(settings, scorer, services => services.AddSingleton<IImageExplainer>(new FakeExplainer(scorer)));
        byte[] fox = [1, 2, 3];
        var image = new { base64 = Convert.ToBase64String(fox) };
        var body = new
        {
            items = new object[]
            {
                new { image, prompt = "a red fox", explain = new { words = true } },
                new { image, prompt = "a red fox in snow", explain = new { words = true } },
                new { image, prompt = "a red fox", explain = new { words = "yes" } },
            },
        };

        using var response = await api.Client.PostAsJsonAsync("/v1/score", body, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("results").EnumerateArray().ToArray();
        var words = results[0].GetProperty("explanation").GetProperty("words").EnumerateArray().ToArray();
        Assert.Equal(["a", "red", "fox"], words.Select(w => w.GetProperty("word").GetString()));
        var full = FakeScorer.Expected(fox, "a red fox").Alignment;
        Assert.Equal(full - FakeScorer.Expected(fox, "red fox").Alignment, words[0].GetProperty("change").GetDouble(), 12);
        Assert.True(File.Exists(results[0].GetProperty("explanation").GetProperty("overlay").GetString()));
        var capped = results[1].GetProperty("explanation");
        Assert.Equal(ExplainCodes.TooManyWords, capped.GetProperty("error").GetProperty("code").GetString());
        Assert.False(capped.TryGetProperty("words", out _));
        Assert.Equal(ErrorCodes.MessageInvalid, results[2].GetProperty("error").GetProperty("code").GetString());
    }
}
