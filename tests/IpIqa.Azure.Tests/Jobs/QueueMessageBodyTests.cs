using System.Text;
using IpIqa.Azure.StorageQueues;

namespace IpIqa.Azure.Tests.Jobs;

public sealed class QueueMessageBodyTests
{
    private const string Json = """{"jobId":"j1","prompt":"é <b>&"}""";

    [Fact]
    public void Base64_and_plain_json_read_the_same() =>
        Assert.Equal(
            Encoding.UTF8.GetString(QueueMessageBody.Decode(Json)),
            Encoding.UTF8.GetString(QueueMessageBody.Decode(QueueMessageBody.Encode(Encoding.UTF8.GetBytes(Json)))));

    [Theory]
    [InlineData("abcd")]
    [InlineData("not json at all")]
    [InlineData("")]
    public void Text_that_is_not_base64_json_is_passed_on_as_text(string text) =>
        Assert.Equal(text, Encoding.UTF8.GetString(QueueMessageBody.Decode(text)));
}
