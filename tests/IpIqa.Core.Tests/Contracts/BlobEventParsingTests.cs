using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Tests.Contracts;

/// <summary>Storage BlobCreated events (CloudEvents 1.0 and the Event Grid schema) read as jobs whose prompt is in the blob's metadata.</summary>
public sealed class BlobEventParsingTests
{
    private const string Url = "https://gallery.blob.core.windows.net/images/000123.png";
    private const string Subject = "/blobServices/default/containers/images/blobs/000123.png";

    [Fact]
    public void A_BlobCreated_CloudEvent_is_a_job_for_data_url_whose_prompt_is_left_to_the_metadata_key()
    {
        Assert.True(Parse(CloudEvent("Microsoft.Storage.BlobCreated"), out var request, out var error), error?.Message);

        Assert.Equal("9aeb0fdf-c01e-0131-0922-9eb54906e209", request.JobId);
        Assert.Equal(new ImageReference(Url), request.Image);
        Assert.Null(request.Prompt);
        Assert.Equal("prompt", request.PromptMetadataKey);
        Assert.Equal(Subject, request.CorrelationId);
        Assert.Null(request.Thresholds);
        Assert.Equal(new Dictionary<string, string> { ["eventType"] = "Microsoft.Storage.BlobCreated", ["eTag"] = "0x8DC1A2B3C4D5E6F" }, request.Attributes);
    }

    [Fact]
    public void The_configured_metadata_key_is_carried_by_the_job()
    {
        Assert.True(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(CloudEvent("Microsoft.Storage.BlobCreated")), "caption", out var request, out _));

        Assert.Equal("caption", request.PromptMetadataKey);
    }

    [Fact]
    public void A_BlobCreated_event_in_the_Event_Grid_schema_is_the_same_job()
    {
        Assert.True(Parse(EventGridEvent("Microsoft.Storage.BlobCreated"), out var request, out var error), error?.Message);
        Assert.True(Parse(CloudEvent("Microsoft.Storage.BlobCreated"), out var fromCloudEvent, out _));

        Assert.Equal(fromCloudEvent.JobId, request.JobId);
        Assert.Equal(fromCloudEvent.Image, request.Image);
        Assert.Equal(fromCloudEvent.CorrelationId, request.CorrelationId);
        Assert.Equal(fromCloudEvent.Attributes, request.Attributes);
        Assert.Null(request.Prompt);
        Assert.Equal("prompt", request.PromptMetadataKey);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_one_element_array_of_events_is_read_as_its_event(bool cloudEvent)
    {
        var single = cloudEvent ? CloudEvent("Microsoft.Storage.BlobCreated") : EventGridEvent("Microsoft.Storage.BlobCreated");

        Assert.True(Parse($"[{single}]", out var request, out var error), error?.Message);

        Assert.Equal("9aeb0fdf-c01e-0131-0922-9eb54906e209", request.JobId);
        Assert.Equal(Url, request.Image.Uri);
    }

    [Fact]
    public void An_event_without_a_subject_correlates_by_its_id()
    {
        var json = """{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e-1","source":"/x","data":{"url":"https://a.blob.core.windows.net/c/b.png"}}""";

        Assert.True(Parse(json, out var request, out _));

        Assert.Equal("e-1", request.CorrelationId);
        Assert.Equal(new Dictionary<string, string> { ["eventType"] = "Microsoft.Storage.BlobCreated" }, request.Attributes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_BlobDeleted_event_is_event_unsupported_and_keeps_its_id_and_url(bool cloudEvent)
    {
        var json = cloudEvent ? CloudEvent("Microsoft.Storage.BlobDeleted") : EventGridEvent("Microsoft.Storage.BlobDeleted");

        Assert.False(Parse(json, out _, out var error));

        Assert.Equal(ErrorCodes.EventUnsupported, error.Code);
        Assert.Contains("Microsoft.Storage.BlobDeleted", error.Message, StringComparison.Ordinal);
        Assert.Equal("9aeb0fdf-c01e-0131-0922-9eb54906e209", error.JobId);
        Assert.Equal(Subject, error.CorrelationId);
        Assert.Equal(Url, error.Image?.Uri);
    }

    [Fact]
    public void A_CloudEvents_version_other_than_1_0_is_event_unsupported()
    {
        Assert.False(Parse(CloudEvent("Microsoft.Storage.BlobCreated").Replace("\"1.0\"", "\"0.3\"", StringComparison.Ordinal), out _, out var error));

        Assert.Equal(ErrorCodes.EventUnsupported, error.Code);
        Assert.Contains("specversion \"0.3\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e-1","data":{"eTag":"0x1"}}""", "data.url is missing", "e-1")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e-1","data":{"url":42}}""", "data.url must be a string", "e-1")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e-1","data":{"url":"images/a.png"}}""", "not an absolute URI", "e-1")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e-1"}""", "data is missing", "e-1")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e-1","data":"text"}""", "data must be an object", "e-1")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","data":{"url":"https://a.blob.core.windows.net/c/b.png"}}""", "id is missing", null)]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":7,"data":{"url":"https://a.blob.core.windows.net/c/b.png"}}""", "id must be a string", null)]
    [InlineData("""{"specversion":"1.0","id":"e-1","data":{"url":"https://a.blob.core.windows.net/c/b.png"}}""", "type is missing", "e-1")]
    [InlineData("""{"eventType":null,"dataVersion":"","id":"e-1","data":{"url":"https://a.blob.core.windows.net/c/b.png"}}""", "eventType is missing", "e-1")]
    [InlineData("""{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","id":"e-1","subject":5,"data":{"url":"https://a.blob.core.windows.net/c/b.png"}}""", "subject must be a string", "e-1")]
    public void A_BlobCreated_event_with_a_missing_or_mistyped_field_is_message_invalid_naming_it(string json, string expectedMessage, string? expectedJobId)
    {
        Assert.False(Parse(json, out _, out var error));

        Assert.Equal(ErrorCodes.MessageInvalid, error.Code);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal(expectedJobId, error.JobId);
    }

    [Theory]
    [InlineData("[]", ErrorCodes.MessageInvalid, "array of 0 element(s)")]
    [InlineData("""[{"specversion":"1.0"},{"specversion":"1.0"}]""", ErrorCodes.MessageInvalid, "array of 2 element(s)")]
    [InlineData("""[{"jobId":"j1","image":{"path":"a.png"},"prompt":"p"}]""", ErrorCodes.MessageInvalid, "that is not an event")]
    [InlineData("[[]]", ErrorCodes.MessageInvalid, "that is not an event")]
    [InlineData("""{"specversion":""", ErrorCodes.MessageInvalid, "not valid JSON")]
    [InlineData("\"Microsoft.Storage.BlobCreated\"", ErrorCodes.MessageInvalid, "must be a JSON object")]
    [InlineData("""{"specversion":1.0}""", ErrorCodes.EventUnsupported, "specversion 1.0 is not supported")]
    public void Garbage_is_refused_with_a_clear_message_and_no_job(string json, string expectedCode, string expectedMessage)
    {
        Assert.False(Parse(json, out var request, out var error));

        Assert.Null(request);
        Assert.Equal(expectedCode, error.Code);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_v1_request_still_carries_its_own_prompt_and_no_metadata_key()
    {
        Assert.True(Parse("""{"jobId":"j","image":{"uri":"https://a.blob.core.windows.net/c/b.png"},"prompt":"a cat","eventType":"x"}""", out var request, out _));

        Assert.Equal("a cat", request.Prompt);
        Assert.Null(request.PromptMetadataKey);
    }

    [Fact]
    public void The_metadata_key_is_not_part_of_the_wire_format()
    {
        Assert.True(Parse(CloudEvent("Microsoft.Storage.BlobCreated"), out var request, out _));

        var json = Encoding.UTF8.GetString(ScoringJson.SerializeRequest(request));

        Assert.DoesNotContain("promptMetadataKey", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"prompt\"", json, StringComparison.Ordinal);
        Assert.Contains("\"jobId\":\"9aeb0fdf-c01e-0131-0922-9eb54906e209\"", json, StringComparison.Ordinal);
    }

    private static bool Parse(string json, out ScoringRequest request, out ScoringRequestError error)
    {
        var parsed = ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var r, out var e);
        request = r!;
        error = e!;
        return parsed;
    }

    /// <summary>An event as Event Grid delivers it with <c>eventDeliverySchema: CloudEventSchemaV1_0</c>.</summary>
    private static string CloudEvent(string type) => $$"""
        {
          "specversion": "1.0",
          "type": "{{type}}",
          "source": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/gallery",
          "id": "9aeb0fdf-c01e-0131-0922-9eb54906e209",
          "time": "2026-11-26T13:00:00.1234567Z",
          "subject": "{{Subject}}",
          "data": {
            "api": "PutBlob",
            "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
            "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
            "eTag": "0x8DC1A2B3C4D5E6F",
            "contentType": "image/png",
            "contentLength": 524288,
            "blobType": "BlockBlob",
            "url": "{{Url}}",
            "sequencer": "00000000000004420000000000028963",
            "storageDiagnostics": { "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0" }
          }
        }
        """;

    /// <summary>The same event in the Event Grid schema.</summary>
    private static string EventGridEvent(string type) => $$"""
        {
          "topic": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/gallery",
          "subject": "{{Subject}}",
          "eventType": "{{type}}",
          "eventTime": "2026-11-26T13:00:00.1234567Z",
          "id": "9aeb0fdf-c01e-0131-0922-9eb54906e209",
          "data": { "api": "PutBlob", "eTag": "0x8DC1A2B3C4D5E6F", "contentType": "image/png", "contentLength": 524288, "blobType": "BlockBlob", "url": "{{Url}}" },
          "dataVersion": "",
          "metadataVersion": "1"
        }
        """;
}
