using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IpIqa.Azure.StorageQueues;

namespace IpIqa.Azure.Tests.Jobs;

public sealed class PoisonEntryWriterTests
{
    public static TheoryData<string, string> Bodies => new()
    {
        { "ascii", new string('a', 60_000) },
        { "japanese", string.Concat(Enumerable.Repeat("富士山の夕焼け", 9_000)) },
        { "emoji", string.Concat(Enumerable.Repeat("🗻🌸", 16_000)) },
        { "controls", new string('\u0001', 60_000) },
        { "html", string.Concat(Enumerable.Repeat("<a href=\"x\">&</a>", 4_000)) },
        { "mixed", string.Concat(Enumerable.Repeat("a富🗻\u0002\"", 12_000)) },
        { "small", """{"jobId":"j","prompt":"日本"}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Entry_always_fits_a_queue_message_and_keeps_a_prefix_the_hash_and_the_length(string kind, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var entry = PoisonEntryWriter.Build("m-1", 6, DateTimeOffset.UnixEpoch, "prompt_invalid", new string('d', 5000), bytes);

        Assert.InRange(QueueMessageBody.Encode(entry).Length, 1, PoisonEntryWriter.MaxEncodedLength);
        using var json = JsonDocument.Parse(entry);
        var root = json.RootElement;
        var kept = root.GetProperty("message").GetString()!;
        Assert.StartsWith(kept, body, StringComparison.Ordinal);
        Assert.Equal(kept.Length < body.Length, root.GetProperty("messageTruncated").GetBoolean());
        Assert.True(kept.Length == body.Length || kept.Length > 4000, $"{kind}: only {kept.Length} characters kept");
        Assert.Equal(bytes.Length, root.GetProperty("messageBytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), root.GetProperty("messageSha256").GetString());
        Assert.Equal(PoisonEntryWriter.MaxDescriptionLength, root.GetProperty("error").GetProperty("message").GetString()!.Length);
    }

    [Theory]
    [InlineData("""{"image":{"uri":"https://a.blob.core.windows.net/c/x.png?sv=1&sig=abc"}}""")]
    [InlineData("""{"image":{"uri":"https:\/\/a.blob.core.windows.net\/c\/x.png\u003Fsv=1\u0026sig=abc"}}""")]
    [InlineData("""{"list":["https://user:sig=abc@a.blob.core.windows.net/c/x.png"]}""")]
    [InlineData("""not json https://a.blob.core.windows.net/c/x.png?sig=abc""")]
    public void Uris_in_the_kept_message_lose_their_query_and_user_information(string body)
    {
        var entry = PoisonEntryWriter.Build("m-1", 1, null, "image_not_found", "Image 'https://a.blob.core.windows.net/c/x.png?sig=abc' does not exist.", Encoding.UTF8.GetBytes(body));

        using var json = JsonDocument.Parse(entry);
        Assert.DoesNotContain("sig=", json.RootElement.GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", json.RootElement.GetProperty("error").GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Contains("a.blob.core.windows.net/c/x.png", json.RootElement.GetProperty("message").GetString()!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"jobId":"a","jobId":"b","image":{"uri":"https://a.blob.core.windows.net/c/x.png?sv=1&sig=abc"}}""")]
    [InlineData("""{"image":{"uri":"https:\/\/a.blob.core.windows.net\/c\/x.png\u003Fsv=1\u0026sig=abc","uri":"x"}}""")]
    [InlineData("""{"jobId":"\ud800","image":{"uri":"https://a.blob.core.windows.net/c/x.png?sv=1&sig=abc"}}""")]
    public void A_message_refused_for_a_duplicated_property_or_a_lone_surrogate_is_written_redacted(string body)
    {
        // These are the messages the parser refuses (message_invalid), so they are the ones that reach the poison
        // queue; building their entry must not throw, or the message is abandoned and redelivered for ever.
        var entry = PoisonEntryWriter.Build("m-1", 1, null, "message_invalid", "The message is not valid.", Encoding.UTF8.GetBytes(body));

        using var json = JsonDocument.Parse(entry);
        var kept = json.RootElement.GetProperty("message").GetString()!;
        Assert.DoesNotContain("sig=", kept, StringComparison.Ordinal);
        Assert.Contains("a.blob.core.windows.net", kept, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_is_cut_without_splitting_a_surrogate_pair()
    {
        var description = new string('x', PoisonEntryWriter.MaxDescriptionLength - 1) + "🗻🗻";

        var entry = PoisonEntryWriter.Build("m-1", 1, null, "internal_error", description, "{}"u8);

        using var json = JsonDocument.Parse(entry);
        Assert.Equal(new string('x', PoisonEntryWriter.MaxDescriptionLength - 1), json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
