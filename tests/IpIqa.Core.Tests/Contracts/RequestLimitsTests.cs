using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Tests.Contracts;

/// <summary>Every field a sink stores is capped when the message is parsed (#11), and what an error echoes stays small.</summary>
public sealed class RequestLimitsTests
{
    private const string Path = "a.png";

    public static TheoryData<string, string> OverCap => new()
    {
        { Request(jobId: new string('j', RequestLimits.MaxJobIdLength + 1)), $"jobId is {RequestLimits.MaxJobIdLength + 1} characters; the limit is {RequestLimits.MaxJobIdLength}." },
        { Request(extra: $",\"correlationId\":\"{new string('c', RequestLimits.MaxCorrelationIdLength + 1)}\""), $"correlationId is {RequestLimits.MaxCorrelationIdLength + 1} characters; the limit is {RequestLimits.MaxCorrelationIdLength}." },
        { Request(path: new string('p', RequestLimits.MaxImageReferenceLength + 1)), $"image.path is {RequestLimits.MaxImageReferenceLength + 1} characters; the limit is {RequestLimits.MaxImageReferenceLength}." },
        { Request(extra: Attributes(RequestLimits.MaxAttributes + 1, 1, 1)), $"attributes has more than {RequestLimits.MaxAttributes} entries." },
        { Request(extra: Attributes(1, RequestLimits.MaxAttributeKeyLength + 1, 1)), $"is {RequestLimits.MaxAttributeKeyLength + 1} characters; the limit is {RequestLimits.MaxAttributeKeyLength}." },
        { Request(extra: Attributes(1, 1, RequestLimits.MaxAttributeValueLength + 1)), $"is {RequestLimits.MaxAttributeValueLength + 1} characters; the limit is {RequestLimits.MaxAttributeValueLength}." },
        { Request(extra: Attributes(9, 100, 128)), $"attributes hold more than {RequestLimits.MaxAttributesLength} characters of keys and values." },
    };

    [Theory]
    [MemberData(nameof(OverCap))]
    public void A_field_over_its_cap_is_message_invalid_naming_the_field_and_the_limit(string json, string expected)
    {
        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error));

        Assert.Null(request);
        Assert.Equal(ErrorCodes.MessageInvalid, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_field_at_its_cap_is_accepted()
    {
        var attributes = Attributes(8, 128, 128); // 8 × 256 = the total cap
        var json = Request(
            jobId: new string('j', RequestLimits.MaxJobIdLength),
            path: new string('p', RequestLimits.MaxImageReferenceLength),
            extra: $",\"correlationId\":\"{new string('c', RequestLimits.MaxCorrelationIdLength)}\"{attributes}");

        Assert.True(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error?.Message);
        Assert.Equal(8, request.Attributes!.Count);
        Assert.Equal(RequestLimits.MaxAttributesLength, request.Attributes.Sum(a => a.Key.Length + a.Value.Length));
    }

    [Fact]
    public void An_oversized_correlation_id_is_not_echoed_in_the_error()
    {
        var json = Request(extra: $",\"correlationId\":\"{new string('c', 100_000)}\",\"thresholds\":7");

        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal("j1", error.JobId);
        Assert.Null(error.CorrelationId);
        Assert.True(error.Message.Length <= RequestLimits.MaxErrorMessageLength, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_oversized_correlation_id_in_broken_json_is_not_echoed_either()
    {
        var json = $"{{\"jobId\":\"j1\",\"correlationId\":\"{new string('c', 100_000)}\",\"image\":";

        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal(("j1", (string?)null), (error.JobId, error.CorrelationId));
    }

    [Theory]
    [InlineData("schemaVersion", "[{0}]")]
    [InlineData("thresholds", "{{\"quality\":[{0}]}}")]
    [InlineData("image", "{{\"uri\":\"{0}\"}}")]
    [InlineData("attributes", "{{\"k\":[{0}]}}")]
    public void A_large_bad_value_is_quoted_short_in_the_error_message(string field, string shape)
    {
        var big = string.Join(',', Enumerable.Repeat("\"xxxxxxxxxxxxxxxx\"", 5000));
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, field == "image" ? new string('x', 2000) : big);
        var json = $"{{\"jobId\":\"j1\",\"prompt\":\"p\",{(field == "image" ? "" : "\"image\":{\"path\":\"a.png\"},")}\"{field}\":{value}}}";

        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal(ErrorCodes.MessageInvalid, error.Code);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length <= 200, error.Message);
    }

    [Fact]
    public void An_event_whose_subject_is_over_the_cap_takes_its_id_as_correlation_id()
    {
        var subject = "/blobServices/default/containers/c/blobs/" + new string('n', 1000);
        var json = $$$"""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e1","subject":"{{{subject}}}","data":{"url":"https://a.blob.core.windows.net/c/x.png"}}""";

        Assert.True(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error?.Message);

        Assert.Equal("e1", request.CorrelationId);
    }

    [Theory]
    [InlineData("url", "https://a.blob.core.windows.net/c/{0}", "data.url is")]
    [InlineData("eTag", "{0}", "data.eTag is")]
    public void An_event_field_over_its_cap_is_message_invalid(string field, string shape, string expected)
    {
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, new string('x', RequestLimits.MaxImageReferenceLength));
        var data = field == "url" ? $"{{\"url\":\"{value}\"}}" : $"{{\"url\":\"https://a.blob.core.windows.net/c/x.png\",\"eTag\":\"{value}\"}}";
        var json = $$"""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e1","data":{{data}}}""";

        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal(ErrorCodes.MessageInvalid, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_with_every_echoed_field_at_its_cap_fits_one_table_string_property_even_fully_escaped()
    {
        // '<' is escaped to six characters (\u003C), the most any character costs.
        var image = new ImageReference(Path: new string('<', RequestLimits.MaxImageReferenceLength));
        var attributes = Enumerable.Range(0, RequestLimits.MaxAttributes)
            .ToDictionary(i => $"{i:D2}" + new string('<', (RequestLimits.MaxAttributesLength / RequestLimits.MaxAttributes) - 2), _ => "");
        var request = new ScoringRequest(new string('<', RequestLimits.MaxJobIdLength), image, "p", CorrelationId: new string('<', RequestLimits.MaxCorrelationIdLength), Attributes: attributes);
        var model = new ModelInfo(new string('<', 64), new string('<', 32), "sha256:" + new string('0', 64));
        var scored = ScoringResult.Scored(request, new Scores(0.1, 0.2), new Verdict(Verdict.Fail, ["quality<0.40", "alignment<0.55"]), model, DateTimeOffset.UnixEpoch, new ResultTimings(1, 2, 3, 4), new ScorePercentiles(1, 2));

        // A fetch error quotes the image once more in its message (image.path '...' is outside the root), with some prose.
        var message = new string('<', 200) + image.Path;
        var failed = ScoringResult.Failed(request, new ResultError(ErrorCodes.SourceNotAllowed, message), model, DateTimeOffset.UnixEpoch);

        Assert.InRange(ScoringJson.SerializeResultToString(scored).Length, 0, RequestLimits.MaxResultChars);
        Assert.InRange(ScoringJson.SerializeResultToString(failed).Length, 0, RequestLimits.MaxResultChars);
        Assert.Equal(attributes.Count, JsonDocument.Parse(ScoringJson.SerializeResult(scored)).RootElement.GetProperty("attributes").EnumerateObject().Count());
    }

    private static string Request(string jobId = "j1", string path = Path, string extra = "") =>
        $$"""{"jobId":"{{jobId}}","image":{"path":"{{path}}"},"prompt":"a cat"{{extra}}}""";

    private static string Attributes(int count, int keyLength, int valueLength) =>
        ",\"attributes\":{" + string.Join(',', Enumerable.Range(0, count).Select(i => $"\"{Key(i, keyLength)}\":\"{new string('v', valueLength)}\"")) + "}";

    private static string Key(int i, int length) => length < 4 ? new string((char)('a' + (i % 26)), length) + (i >= 26 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "") : $"{i:D3}" + new string('k', length - 3);
}
