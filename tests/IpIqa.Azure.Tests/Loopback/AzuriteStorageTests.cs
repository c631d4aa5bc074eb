using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Loopback;

/// <summary>The real Azure Storage and Tables clients against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteStorageTests(AzuriteFixture fixture)
{
    [RequiresNodeFact]
    public async Task A_blob_uploads_downloads_and_keeps_its_index_tags()
    {
        var container = new BlobContainerClient(fixture.ConnectionString, $"images-{Guid.NewGuid():N}");
        await container.CreateAsync();
        var blob = container.GetBlobClient("gallery/cat.png");
        byte[] content = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4];

        var uploaded = await blob.UploadAsync(BinaryData.FromBytes(content));
        var downloaded = await blob.DownloadContentAsync();
        await blob.SetTagsAsync(new Dictionary<string, string> { ["quality"] = "4.12", ["verdict"] = "pass" });
        var tags = await blob.GetTagsAsync();

        Assert.Equal(content, downloaded.Value.Content.ToArray());
        Assert.Equal(uploaded.Value.ETag, downloaded.Value.Details.ETag);
        Assert.Equal("4.12", tags.Value.Tags["quality"]);
        Assert.Equal("pass", tags.Value.Tags["verdict"]);
        Assert.Equal(2, tags.Value.Tags.Count);
    }

    [RequiresNodeFact]
    public async Task Blobs_can_be_found_by_an_index_tag_query()
    {
        var container = new BlobContainerClient(fixture.ConnectionString, $"images-{Guid.NewGuid():N}");
        await container.CreateAsync();
        var runId = Guid.NewGuid().ToString("N");
        await container.GetBlobClient("a.png").UploadAsync(BinaryData.FromString("a"));
        await container.GetBlobClient("b.png").UploadAsync(BinaryData.FromString("b"));
        await container.GetBlobClient("a.png").SetTagsAsync(new Dictionary<string, string> { ["run"] = runId, ["verdict"] = "fail" });
        await container.GetBlobClient("b.png").SetTagsAsync(new Dictionary<string, string> { ["run"] = runId, ["verdict"] = "pass" });

        var found = new List<string>();
        await foreach (var item in container.FindBlobsByTagsAsync($"\"run\" = '{runId}' AND \"verdict\" = 'fail'"))
        {
            found.Add(item.BlobName);
        }

        Assert.Equal(["a.png"], found);
    }

    [RequiresNodeFact]
    public async Task A_missing_blob_is_reported_as_BlobNotFound()
    {
        var container = new BlobContainerClient(fixture.ConnectionString, $"images-{Guid.NewGuid():N}");
        await container.CreateAsync();

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("nope.png").DownloadContentAsync());

        Assert.Equal(404, missing.Status);
        Assert.Equal(BlobErrorCode.BlobNotFound.ToString(), missing.ErrorCode);
    }

    [RequiresNodeFact]
    public async Task A_queue_message_reappears_after_its_visibility_timeout_with_a_higher_dequeue_count()
    {
        var queue = new QueueClient(fixture.ConnectionString, $"jobs-{Guid.NewGuid():N}");
        await queue.CreateAsync();
        await queue.SendMessageAsync("{\"jobId\":\"j1\"}");
        var visibility = TimeSpan.FromSeconds(1);

        var first = (await queue.ReceiveMessageAsync(visibility)).Value;
        var hidden = (await queue.ReceiveMessageAsync(visibility)).Value;
        await Task.Delay(visibility + TimeSpan.FromSeconds(1));
        var second = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;

        Assert.NotNull(first);
        Assert.Equal("{\"jobId\":\"j1\"}", first.Body.ToString());
        Assert.Equal(1, first.DequeueCount);
        Assert.Null(hidden);
        Assert.NotNull(second);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt);
        Assert.Empty((await queue.PeekMessagesAsync(10)).Value);
    }

    [RequiresNodeFact]
    public async Task A_table_upsert_replaces_the_entity_and_a_query_finds_it()
    {
        var table = new TableClient(fixture.ConnectionString, $"results{Guid.NewGuid():N}");
        await table.CreateAsync();
        await table.UpsertEntityAsync(new TableEntity("gallery-1", "img-1") { ["Quality"] = 3.5, ["Verdict"] = "fail" });
        await table.UpsertEntityAsync(new TableEntity("gallery-1", "img-1") { ["Quality"] = 4.25, ["Verdict"] = "pass" }, TableUpdateMode.Replace);
        await table.UpsertEntityAsync(new TableEntity("gallery-1", "img-2") { ["Quality"] = 1.0, ["Verdict"] = "fail" });

        var passed = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == "gallery-1" && e.GetString("Verdict") == "pass"))
        {
            passed.Add(entity);
        }

        var only = Assert.Single(passed);
        Assert.Equal("img-1", only.RowKey);
        Assert.Equal(4.25, only.GetDouble("Quality"));
        var all = await table.QueryAsync<TableEntity>(e => e.PartitionKey == "gallery-1").ToListAsync();
        Assert.Equal(2, all.Count);
    }
}
