using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Tests.Contracts;

public sealed class ScoringContractTests
{
    private static readonly ModelInfo Model = new("ipiqa-demo", "1.0.0", "sha256:abc");
    private static readonly DateTimeOffset ScoredAt = new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Request_SerializedThenParsed_RoundTrips()
    {
        var request = new ScoringRequest(
            "job-7", new ImageReference(Uri: "https://store.example/a.png"), "a “quoted” prompt & more",
            new Thresholds(0.4, 0.55), "corr", new Dictionary<string, string> { ["k"] = "v" });

        var json = ScoringJson.SerializeRequest(request);
        Assert.True(ScoringRequestParser.TryParse(json, out var parsed, out var error), error?.Message);

        Assert.Equal(request with { Attributes = null }, parsed with { Attributes = null });
        Assert.Equal(request.Attributes, parsed.Attributes);
        Assert.Contains("\"jobId\":\"job-7\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void ScoredResult_SerializesCamelCaseAndRoundTrips()
    {
        var request = new ScoringRequest("job-7", new ImageReference(Path: "a.png"), "p", CorrelationId: "corr", Attributes: new Dictionary<string, string> { ["run"] = "3" });
        var verdict = new VerdictCalculator(new Thresholds(Quality: 0.4)).Decide(new Scores(0.3, 0.9));
        var result = ScoringResult.Scored(request, new Scores(0.3, 0.9), verdict, Model, ScoredAt, new ResultTimings(1.5, 2, 3.25, 7));

        var json = ScoringJson.SerializeResultToString(result);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal("job-7", root.GetProperty("jobId").GetString());
        Assert.Equal("corr", root.GetProperty("correlationId").GetString());
        Assert.Equal("a.png", root.GetProperty("image").GetProperty("path").GetString());
        Assert.Equal(0.3, root.GetProperty("scores").GetProperty("quality").GetDouble());
        Assert.Equal("fail", root.GetProperty("verdict").GetProperty("outcome").GetString());
        Assert.Equal("quality<0.40", root.GetProperty("verdict").GetProperty("failed")[0].GetString());
        Assert.Equal("sha256:abc", root.GetProperty("model").GetProperty("hash").GetString());
        Assert.Equal(3.25, root.GetProperty("timings").GetProperty("modelMs").GetDouble());
        Assert.Equal("3", root.GetProperty("attributes").GetProperty("run").GetString());
        Assert.False(root.TryGetProperty("error", out _));
        Assert.False(root.TryGetProperty("isError", out _));

        var back = ScoringJson.DeserializeResult(Encoding.UTF8.GetBytes(json));
        Assert.Equal(json, ScoringJson.SerializeResultToString(back));
        Assert.False(back.IsError);
    }

    [Fact]
    public void ErrorResult_FromARejectedMessage_HasOnlyTheErrorFormFields()
    {
        Assert.False(ScoringRequestParser.TryParse("""{"jobId": "j3", "image": {"path": "a.png"}, "prompt": ""}"""u8, out _, out var rejection));

        var json = ScoringJson.SerializeResultToString(ScoringResult.Failed(rejection, Model, ScoredAt));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(
            ["jobId", "image", "model", "scoredAt", "error"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ErrorCodes.PromptInvalid, root.GetProperty("error").GetProperty("code").GetString());
        Assert.True(ScoringJson.DeserializeResult(Encoding.UTF8.GetBytes(json)).IsError);
    }

    [Fact]
    public void ErrorResult_ForAParsedRequest_KeepsItsIdentity()
    {
        var request = new ScoringRequest("j4", new ImageReference(Uri: "https://x/a.png"), "p", CorrelationId: "c4");

        var result = ScoringResult.Failed(request, new ResultError(ErrorCodes.ImageNotFound, "gone"), Model, ScoredAt);

        Assert.Equal(("j4", "c4", "https://x/a.png"), (result.JobId, result.CorrelationId, result.Image?.Uri));
        Assert.Null(result.Scores);
        Assert.Equal(ErrorCodes.ImageNotFound, result.Error?.Code);
    }
}
