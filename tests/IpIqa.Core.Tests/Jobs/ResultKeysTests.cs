using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;

namespace IpIqa.Core.Tests.Jobs;

public sealed class ResultKeysTests
{
    [Fact]
    public void Message_key_is_64_lower_hex_and_changes_with_the_message_id_body_and_model()
    {
        var key = ResultKeys.ForMessage("m-1", "{}"u8, "abc");

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, ResultKeys.ForMessage("m-1", "{}"u8, "abc"));
        Assert.NotEqual(key, ResultKeys.ForMessage("m-2", "{}"u8, "abc"));
        Assert.NotEqual(key, ResultKeys.ForMessage("m-1", "{ }"u8, "abc"));
        Assert.NotEqual(key, ResultKeys.ForMessage("m-1", "{}"u8, "abd"));
    }

    [Fact]
    public void Event_is_keyed_by_its_event_id_whatever_message_carries_it()
    {
        const string Event = """{"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","source":"/s","id":"evt-7","subject":"/x","data":{"url":"https://a.blob.core.windows.net/c/x.png"}}""";
        var first = new FakeReceivedJob(Event, "queue-message-1");
        var again = new FakeReceivedJob(Event, "queue-message-2");

        Assert.Equal(ResultKeys.ForEvent("evt-7", "abc"), ResultKeys.For(first, "abc"));
        Assert.Equal(ResultKeys.For(first, "abc"), ResultKeys.For(again, "abc"));
        Assert.NotEqual(ResultKeys.ForEvent("evt-7", "abc"), ResultKeys.ForMessage("evt-7", "{}"u8, "abc"));
    }

    [Fact]
    public void Two_messages_with_the_same_body_have_two_keys_and_a_redelivery_keeps_its_key()
    {
        const string Body = """{"jobId":"j","image":{"path":"x.png"},"prompt":"a cat"}""";

        var key = ResultKeys.For(new FakeReceivedJob(Body, "jobs.jsonl:1"), "abc");

        Assert.Equal(key, ResultKeys.For(new FakeReceivedJob(Body, "jobs.jsonl:1", deliveryCount: 2), "abc"));
        Assert.NotEqual(key, ResultKeys.For(new FakeReceivedJob(Body, "jobs.jsonl:2"), "abc"));
        Assert.Equal(ResultKeys.ForMessage("jobs.jsonl:1", System.Text.Encoding.UTF8.GetBytes(Body), "abc"), key);
        Assert.Equal(key, ResultKeys.For(new FakeReceivedJob(Body, "jobs.jsonl:1"), new ScoringRequest("j", new ImageReference(Path: "x.png"), "a cat"), "abc"));
    }
}
