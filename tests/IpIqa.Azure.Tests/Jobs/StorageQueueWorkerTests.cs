using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.StorageQueues;
using IpIqa.Azure.Tables;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>
/// The Storage Queue path end to end on Azurite: jobs on a queue, images from allow-listed blobs,
/// results as blob index tags and table rows, poison entries for jobs that always fail.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueWorkerTests(AzuriteFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [RequiresNodeFact]
    public async Task Jobs_are_scored_tagged_and_stored_and_failures_go_to_the_poison_queue()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString);
        var good = await env.UploadAsync("images", "good.png", [9, 8, 7, 6], new Dictionary<string, string> { ["owner"] = "team-a" });
        var crowded = await env.UploadAsync("images", "crowded.png", [1, 1, 1], Enumerable.Range(0, 8).ToDictionary(i => $"t{i}", i => "x"));
        var elsewhere = await env.UploadAsync("private", "other.png", [5]);
        var corrupt = await env.UploadAsync("images", "corrupt.png", "BAD image"u8.ToArray(), new Dictionary<string, string> { ["owner"] = "team-b", [ScoreTags.Quality] = "0.90000" });
        await env.Jobs.SendMessageAsync(Request("good", good, "a cat"));
        await env.Jobs.SendMessageAsync(QueueMessageBody.Encode(Encoding.UTF8.GetBytes(Request("crowded", crowded, "a dog"))));
        await env.Jobs.SendMessageAsync("""{"jobId":"broken","image":{"uri":"x"}""");
        await env.Jobs.SendMessageAsync(Request("missing", env.Images.GetBlobClient("nope.png").Uri.AbsoluteUri, "a cat"));
        await env.Jobs.SendMessageAsync(Request("private", elsewhere, "a cat"));
        await env.Jobs.SendMessageAsync(Request("corrupt", corrupt, "a cat"));

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        var goodTags = (await env.Images.GetBlobClient("good.png").GetTagsAsync()).Value.Tags;
        var expected = FakeScorer.Expected(new byte[] { 9, 8, 7, 6 }, "a cat");
        Assert.Equal("team-a", goodTags["owner"]);
        Assert.Equal(ScoreTags.FixedWidth(expected.Quality), goodTags[ScoreTags.Quality]);
        Assert.Equal(ScoreTags.FixedWidth(expected.Alignment), goodTags[ScoreTags.Alignment]);
        Assert.Equal("pass", goodTags[ScoreTags.Verdict]);
        Assert.Equal("0123456789ab", goodTags[ScoreTags.Model]);
        var crowdedTags = (await env.Images.GetBlobClient("crowded.png").GetTagsAsync()).Value.Tags;
        Assert.Equal(ScoreTags.MaxTags, crowdedTags.Count);
        Assert.Equal(8, crowdedTags.Keys.Count(k => k.StartsWith('t')));
        Assert.Contains(ScoreTags.Verdict, crowdedTags.Keys);
        Assert.Contains(ScoreTags.Quality, crowdedTags.Keys);

        var rows = env.Table.Query<TableEntity>().ToDictionary(r => r.GetString("JobId") ?? "(none)");
        Assert.Equal(expected.Quality, rows["good"].GetDouble("Quality"));
        Assert.Equal("pass", rows["good"].GetString("Verdict"));
        Assert.Equal("image_not_found", rows["missing"].GetString("ErrorCode"));
        Assert.Equal("source_not_allowed", rows["private"].GetString("ErrorCode"));
        Assert.Equal("message_invalid", rows["broken"].GetString("ErrorCode"));
        Assert.Equal("image_undecodable", rows["corrupt"].GetString("ErrorCode"));

        // A bad image is tagged as such, its own tags kept and a stale score tag of ours removed.
        var corruptTags = (await env.Images.GetBlobClient("corrupt.png").GetTagsAsync()).Value.Tags;
        Assert.Equal("error", corruptTags[ScoreTags.Verdict]);
        Assert.Equal("image_undecodable", corruptTags[ScoreTags.Error]);
        Assert.Equal("team-b", corruptTags["owner"]);
        Assert.False(corruptTags.ContainsKey(ScoreTags.Quality));
        Assert.All(rows.Values, r => Assert.Equal(TableResultSink.PartitionKeyOf(r.RowKey), r.PartitionKey));

        var poison = await env.ReadPoisonAsync();
        Assert.Equal(["image_not_found", "image_undecodable", "message_invalid", "source_not_allowed"], poison.Select(p => p.Code).Order(StringComparer.Ordinal));
        Assert.Contains(poison, p => p.Message.Contains("\"jobId\":\"broken\"", StringComparison.Ordinal));
    }

    [RequiresNodeFact]
    public async Task Job_that_fails_transiently_on_every_delivery_is_poisoned_at_max_dequeue_count()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString, extraSink: new FlakySink(failures: 100));
        var image = await env.UploadAsync("images", "a.png", [3, 3, 3]);
        await env.Jobs.SendMessageAsync(Request("flaky", image, "a cat"));

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        var entry = Assert.Single(await env.ReadPoisonAsync());
        Assert.Equal("internal_error", entry.Code);
        Assert.Contains($"each of {StorageEnvironment.MaxDequeueCount} deliveries", entry.Description, StringComparison.Ordinal);
        Assert.Contains("503 Server Busy", entry.Description, StringComparison.Ordinal);
    }

    [RequiresNodeFact]
    public async Task Lease_is_renewed_while_a_job_outlives_its_visibility_timeout()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString);
        env.VisibilityTimeout = TimeSpan.FromSeconds(2);
        env.Scorer = new FakeScorer { Before = (_, ct) => Task.Delay(TimeSpan.FromSeconds(5), ct) };
        var image = await env.UploadAsync("images", "slow.png", [4, 4]);
        await env.Jobs.SendMessageAsync(Request("slow", image, "a cat"));

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        Assert.Single(env.Scorer.Inputs);
        Assert.Empty(await env.ReadPoisonAsync());
    }

    [RequiresNodeFact]
    public async Task Message_delivered_past_max_dequeue_count_without_settling_is_poisoned_before_handling()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString);
        var image = await env.UploadAsync("images", "crash.png", [2]);
        await env.Jobs.SendMessageAsync(Request("crash-loop", image, "a cat"));
        for (var i = 0; i < StorageEnvironment.MaxDequeueCount; i++)
        {
            // A worker that died holding the message: received, never settled, lease runs out.
            Assert.Single((await env.Jobs.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
            await Task.Delay(TimeSpan.FromSeconds(1.2));
        }

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        Assert.Empty(env.Scorer.Inputs);
        var entry = Assert.Single(await env.ReadPoisonAsync());
        Assert.Equal("internal_error", entry.Code);
        Assert.Contains($"delivered {StorageEnvironment.MaxDequeueCount + 1} times without being settled", entry.Description, StringComparison.Ordinal);
    }

    private static string Request(string jobId, string uri, string prompt) =>
        JsonSerializer.Serialize(new { jobId, image = new { uri }, prompt });
}
