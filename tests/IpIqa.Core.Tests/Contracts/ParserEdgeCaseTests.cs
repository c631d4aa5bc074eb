using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Tests.Contracts;

/// <summary>What the fuzzer was pointed at (#11): byte order marks, schemaVersion kinds, duplicate properties, nesting depth, attribute values.</summary>
public sealed class ParserEdgeCaseTests
{
    private const string Body = "\"jobId\":\"j1\",\"image\":{\"path\":\"a.png\"},\"prompt\":\"a cat\"";

    [Fact]
    public void A_leading_byte_order_mark_is_skipped()
    {
        var message = (byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{" + Body + "}")];

        Assert.True(ScoringRequestParser.TryParse(message, out var request, out var error), error?.Message);
        Assert.Equal("j1", request.JobId);
    }

    [Fact]
    public void Invalid_UTF8_keeps_the_job_id_read_before_it()
    {
        var message = (byte[])[.. Encoding.UTF8.GetBytes("{\"jobId\":\"j1\",\"prompt\":\"a "), 0xFF, .. Encoding.UTF8.GetBytes("\"}")];

        Assert.False(ScoringRequestParser.TryParse(message, out _, out var error));

        Assert.Equal((ErrorCodes.MessageInvalid, "j1"), (error.Code, error.JobId));
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", null)]
    [InlineData("1.0", null)]
    [InlineData("1e0", null)]
    [InlineData("null", null)]
    [InlineData("2", ErrorCodes.SchemaUnsupported)]
    [InlineData("2.0", ErrorCodes.SchemaUnsupported)]
    [InlineData("-1", ErrorCodes.SchemaUnsupported)]
    [InlineData("123456789012345678901234567890", ErrorCodes.SchemaUnsupported)]
    [InlineData("1.5", ErrorCodes.MessageInvalid)]
    [InlineData("1e400", ErrorCodes.MessageInvalid)]
    [InlineData("\"1\"", ErrorCodes.MessageInvalid)]
    [InlineData("\"2\"", ErrorCodes.MessageInvalid)]
    [InlineData("true", ErrorCodes.MessageInvalid)]
    [InlineData("[1]", ErrorCodes.MessageInvalid)]
    public void SchemaVersion_is_a_number_of_integral_value_and_only_1_is_read(string version, string? expectedCode)
    {
        var parsed = ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes($"{{\"schemaVersion\":{version}," + Body + "}"), out _, out var error);

        Assert.Equal(expectedCode is null, parsed);
        Assert.Equal(expectedCode, error?.Code);
    }

    [Theory]
    [InlineData("""{"jobId":"j1","jobId":"j2","image":{"path":"a.png"},"prompt":"a cat"}""")]
    [InlineData("""{"jobId":"j1","\u006aobId":"j2","image":{"path":"a.png"},"prompt":"a cat"}""")]
    [InlineData("""{"jobId":"j1","image":{"path":"a.png","path":"b.png"},"prompt":"a cat"}""")]
    [InlineData("""{"jobId":"j1","image":{"path":"a.png"},"prompt":"a cat","attributes":{"k":"1","\u006b":"2"}}""")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e1","data":{"url":"https://a/c/x.png","url":"https://a/c/y.png"}}""")]
    public void A_property_given_twice_at_any_depth_or_escaped_differently_is_message_invalid(string json)
    {
        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal(ErrorCodes.MessageInvalid, error.Code);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"jobId":"j1","image":{"path":"a.png"},"prompt":"p","pr\uD83Doipt":1}""")]
    [InlineData("""{"jobId":"j1","image":{"path":"a.png","\udc00":"x"},"prompt":"p"}""")]
    [InlineData("""{"jobId":"j1","image":{"path":"a.png"},"prompt":"p","attributes":{"\ud800":"v"}}""")]
    public void A_property_name_with_an_unpaired_surrogate_escape_is_message_invalid_not_an_exception(string json)
    {
        // Found by the fuzzer (case 263702 of seed 20261207): the exception escaped the parser.
        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));

        Assert.Equal((ErrorCodes.MessageInvalid, "j1"), (error.Code, error.JobId));
    }

    [Theory]
    [InlineData(RequestLimits.MaxDepth, true)]
    [InlineData(RequestLimits.MaxDepth + 1, false)]
    [InlineData(10_000, false)]
    public void Nesting_deeper_than_the_limit_is_message_invalid(int depth, bool accepted)
    {
        // The root object is level 1; an unknown property holds the rest.
        var nested = new string('[', depth - 1) + new string(']', depth - 1);
        var parsed = ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes("{" + Body + ",\"deep\":" + nested + "}"), out _, out var error);

        Assert.Equal(accepted, parsed);
        Assert.Equal(accepted ? null : ErrorCodes.MessageInvalid, error?.Code);
    }

    [Theory]
    [InlineData("1", "a JSON number")]
    [InlineData("true", "a JSON true")]
    [InlineData("null", "a JSON null")]
    [InlineData("{}", "a JSON object")]
    [InlineData("[\"v\"]", "a JSON array")]
    [InlineData("\"\\ud800\"", "not valid Unicode")]
    public void An_attribute_that_is_not_a_string_is_message_invalid(string value, string expected)
    {
        var parsed = ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes("{" + Body + ",\"attributes\":{\"k\":" + value + "}}"), out _, out var error);

        Assert.False(parsed);
        Assert.Equal(ErrorCodes.MessageInvalid, error!.Code);
        Assert.Contains($"attributes.k", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
