using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Tests.Contracts;

public sealed class ScoringRequestParserTests
{
    private const string Valid = """
        {"schemaVersion": 1, "jobId": "job-1", "image": {"uri": "https://store.example/gallery/a.png"},
         "prompt": "a cat on a sofa", "thresholds": {"quality": 0.4, "alignment": null},
         "correlationId": "corr-9", "attributes": {"run": "42", "team": "vision"}, "unknownField": [1, 2, {"x": null}]}
        """;

    [Fact]
    public void TryParse_FullRequest_ReadsEveryFieldAndIgnoresUnknownOnes()
    {
        Assert.True(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(Valid), out var request, out var error), error?.Message);

        Assert.Equal("job-1", request.JobId);
        Assert.Equal("https://store.example/gallery/a.png", request.Image.Uri);
        Assert.Null(request.Image.Path);
        Assert.Equal("a cat on a sofa", request.Prompt);
        Assert.Equal(new Thresholds(0.4, null), request.Thresholds);
        Assert.Equal("corr-9", request.CorrelationId);
        Assert.Equal("vision", request.Attributes!["team"]);
        Assert.Equal(1, request.SchemaVersion);
    }

    [Fact]
    public void TryParse_MinimalLocalRequest_DefaultsTheOptionalFields()
    {
        Assert.True(ScoringRequestParser.TryParse("""{"jobId":"j","image":{"path":"in/a.jpg"},"prompt":"p"}"""u8, out var request, out _));

        Assert.Equal("in/a.jpg", request.Image.Path);
        Assert.Null(request.Thresholds);
        Assert.Null(request.CorrelationId);
        Assert.Null(request.Attributes);
        Assert.Equal(ScoringRequest.CurrentSchemaVersion, request.SchemaVersion);
    }

    [Theory]
    [InlineData("""{"jobId": "j1", "image": {"path": "a.png"}, "prompt": """, "not valid JSON", "j1")]
    [InlineData("""[1, 2]""", "must be a JSON object", null)]
    [InlineData("""{"image": {"path": "a.png"}, "prompt": "p"}""", "jobId is missing", null)]
    [InlineData("""{"jobId": 7, "image": {"path": "a.png"}, "prompt": "p"}""", "jobId must be a string", null)]
    [InlineData("""{"jobId": "  ", "image": {"path": "a.png"}, "prompt": "p"}""", "jobId is empty", null)]
    [InlineData("""{"jobId": "j1", "prompt": "p"}""", "image is missing", "j1")]
    [InlineData("""{"jobId": "j1", "image": "a.png", "prompt": "p"}""", "image must be an object", "j1")]
    [InlineData("""{"jobId": "j1", "image": {"uri": "https://x/a", "path": "a.png"}, "prompt": "p"}""", "both 'uri' and 'path'", "j1")]
    [InlineData("""{"jobId": "j1", "image": {}, "prompt": "p"}""", "neither 'uri' nor 'path'", "j1")]
    [InlineData("""{"jobId": "j1", "image": {"uri": "gallery/a.png"}, "prompt": "p"}""", "not an absolute URI", "j1")]
    [InlineData("""{"jobId": "j1", "jobId": "j2", "image": {"path": "a.png"}, "prompt": "p"}""", "not valid JSON", "j2")]
    [InlineData("""{"jobId": "j1", "image": {"path": "a.png"}, "prompt": "p", "thresholds": {"quality": "high"}}""", "thresholds.quality must be a finite number", "j1")]
    [InlineData("""{"jobId": "j1", "image": {"path": "a.png"}, "prompt": "p", "thresholds": 0.5}""", "thresholds must be an object", "j1")]
    [InlineData("""{"jobId": "j1", "image": {"path": "a.png"}, "prompt": "p", "attributes": {"n": 1}}""", "attributes.n must be a string", "j1")]
    [InlineData("""{"jobId": "j1", "image": {"path": "a.png"}, "prompt": "p", "correlationId": 5}""", "correlationId must be a string", "j1")]
    [InlineData("""{"schemaVersion": "1", "jobId": "j1", "image": {"path": "a.png"}, "prompt": "p"}""", "schemaVersion must be an integer", "j1")]
    public void TryParse_InvalidMessage_GivesMessageInvalidNamingTheProblemAndKeepsTheJobId(string json, string expectedMessage, string? expectedJobId)
    {
        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error));

        Assert.Null(request);
        Assert.Equal(ErrorCodes.MessageInvalid, error.Code);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal(expectedJobId, error.JobId);
    }

    [Theory]
    [InlineData("""{"jobId": "j1", "image": {"path": "a.png"}}""")]
    [InlineData("""{"jobId": "j1", "image": {"path": "a.png"}, "prompt": null}""")]
    public void TryParse_AJobWithoutAPrompt_IsPromptMissing_AsAManifestLineWithoutOne(string json)
    {
        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal(ErrorCodes.PromptMissing, error.Code);
        Assert.Equal("prompt is missing.", error.Message);
        Assert.Equal("j1", error.JobId);
    }

    [Theory]
    [InlineData("""{"uri": "https://x/a.png", "path": " \t"}""", "https://x/a.png", null)]
    [InlineData("""{"uri": "", "path": "in/a.png"}""", null, "in/a.png")]
    public void TryParse_ABlankImageField_IsAbsentInTheRequest(string image, string? uri, string? path)
    {
        var json = $$"""{"jobId": "j1", "image": {{image}}, "prompt": "p"}""";

        Assert.True(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error?.Message);

        Assert.Equal(new ImageReference(uri, path), request.Image);
    }

    [Fact]
    public void TryParse_UnknownSchemaVersion_GivesSchemaUnsupportedWithTheIdentity()
    {
        var json = """{"schemaVersion": 2, "jobId": "j9", "correlationId": "c", "image": {"uri": "https://x/a.png"}, "newShape": {}}"""u8;

        Assert.False(ScoringRequestParser.TryParse(json, out _, out var error));

        Assert.Equal(ErrorCodes.SchemaUnsupported, error.Code);
        Assert.Contains("schemaVersion 2", error.Message, StringComparison.Ordinal);
        Assert.Equal("j9", error.JobId);
        Assert.Equal("c", error.CorrelationId);
        Assert.Equal("https://x/a.png", error.Image?.Uri);
    }

    [Theory]
    [InlineData("\"\"", "empty")]
    [InlineData("\" \\t\\n \"", "empty")]
    [InlineData("42", "must be a string")]
    [InlineData("\"\\ud800 cat\"", "not valid Unicode")]
    public void TryParse_BadPrompt_GivesPromptInvalid(string promptJson, string expectedMessage)
    {
        var json = $$"""{"jobId": "j1", "image": {"path": "a.png"}, "prompt": {{promptJson}}}""";

        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal(ErrorCodes.PromptInvalid, error.Code);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal("j1", error.JobId);
    }

    [Fact]
    public void TryParse_PromptAtTheDefaultByteLimit_IsAcceptedAndOneByteMoreIsNot()
    {
        var atLimit = new string('a', RequestLimits.DefaultMaxPromptBytes - 3) + "€";
        var overLimit = new string('a', RequestLimits.DefaultMaxPromptBytes - 2) + "€";

        Assert.True(ScoringRequestParser.TryParse(Message(atLimit), out _, out var accepted), accepted?.Message);
        Assert.False(ScoringRequestParser.TryParse(Message(overLimit), out _, out var error));
        Assert.Equal(ErrorCodes.PromptInvalid, error.Code);
        Assert.Contains($"{RequestLimits.DefaultMaxPromptBytes + 1} UTF-8 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_A5KBPrompt_IsAcceptedWithTheDefaultLimit()
    {
        Assert.True(ScoringRequestParser.TryParse(Message(new string('a', 5 * 1024)), out var request, out var error), error?.Message);
        Assert.Equal(5 * 1024, request.Prompt!.Length);
    }

    [Theory]
    [InlineData(100, 100, true)]
    [InlineData(100, 101, false)]
    [InlineData(20_000, 20_000, true)]
    [InlineData(20_000, 20_001, false)]
    public void TryParse_PromptLimit_IsTheGivenOne(int limit, int promptBytes, bool accepted)
    {
        var parsed = ScoringRequestParser.TryParse(Message(new string('a', promptBytes)), PromptMetadata.DefaultKey, limit, out _, out var error);

        Assert.Equal(accepted, parsed);
        if (!accepted)
        {
            Assert.Equal(ErrorCodes.PromptInvalid, error!.Code);
            Assert.Contains($"the limit is {limit}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryParse_MutatedMessages_NeverThrow()
    {
        var random = new Random(3);
        var valid = Encoding.UTF8.GetBytes(Valid);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = valid.ToArray();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var cut = bytes.AsSpan(0, random.Next(bytes.Length + 1));
            var parsed = ScoringRequestParser.TryParse(cut, out var request, out var error);

            Assert.True(parsed ? request is not null && error is null : request is null && error is not null);
        }
    }

    private static byte[] Message(string prompt) =>
        ScoringJson.SerializeRequest(new ScoringRequest("j1", new ImageReference(Path: "a.png"), prompt));
}
