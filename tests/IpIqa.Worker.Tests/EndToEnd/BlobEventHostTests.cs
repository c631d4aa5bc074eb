using IpIqa.Inference.Tests.Support;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using IpIqa.Azure.StorageQueues;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.EndToEnd;

/// <summary>
/// The whole worker host with the reference model on Azurite, fed BlobCreated CloudEvents (as Event Grid
/// delivers them) instead of requests: the prompt comes from the blob's metadata (URL-encoded, non-ASCII),
/// the scores equal a schema v1 request's for the same image and prompt and the reference's, and a blob
/// without a metadata prompt, or a BlobDeleted event, ends as an error result and a poison entry.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobEventHostTests(AzuriteFixture azurite)
{
    private const int Sample = 4;

    [RequiresNodeAndFixturesFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab, "ipiqa-reference/scores.f32")]
    public async Task BlobCreated_events_are_scored_with_the_metadata_prompt_and_a_blob_without_one_is_prompt_missing()
    {
        using var bundle = new ReferenceBundle();
        using var work = new TempDirectory("ipiqa-events-e2e");
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var queue = new QueueClient(azurite.ConnectionString, $"events{suffix}");
        var poison = new QueueClient(azurite.ConnectionString, $"events{suffix}-poison");
        var container = new BlobContainerClient(azurite.ConnectionString, $"uploads{suffix}");
        await queue.CreateAsync();
        await container.CreateAsync();
        var (image, prompt, _) = ReferenceBundle.Samples()[Sample];
        Assert.Contains(prompt, c => c > '~');
        var expected = ReferenceBundle.Scores();

        // The pipeline's upload: the prompt in metadata, URL-encoded because it is not ASCII.
        var uploaded = container.GetBlobClient("gen/with-prompt" + Path.GetExtension(image));
        var metadata = new Dictionary<string, string> { ["prompt"] = PromptMetadata.Encode(prompt) };
        await uploaded.UploadAsync(image, new BlobUploadOptions { Metadata = metadata });
        Assert.StartsWith("%", metadata["prompt"], StringComparison.Ordinal);
        var bare = container.GetBlobClient("gen/no-prompt" + Path.GetExtension(image));
        await bare.UploadAsync(image);
        var requested = container.GetBlobClient("requests/same-image" + Path.GetExtension(image));
        await requested.UploadAsync(image);

        await queue.SendMessageAsync(CloudEvent("evt-scored", "Microsoft.Storage.BlobCreated", container.Name, uploaded));
        await queue.SendMessageAsync(QueueMessageBody.Encode(Encoding.UTF8.GetBytes(CloudEvent("evt-no-prompt", "Microsoft.Storage.BlobCreated", container.Name, bare))));
        await queue.SendMessageAsync(CloudEvent("evt-deleted", "Microsoft.Storage.BlobDeleted", container.Name, bare));
        await queue.SendMessageAsync(JsonSerializer.Serialize(new { jobId = "v1-request", image = new { uri = requested.Uri.AbsoluteUri }, prompt }));

        var resultsFile = Path.Combine(work.Path, "results.jsonl");
        using (var host = BuildHost(bundle.Folder, queue.Name, poison.Name, container.Name, resultsFile))
        {
            await host.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the events were not all settled in 90 s");
                await Task.Delay(200);
            }

            await host.StopAsync();
        }

        var lines = File.ReadAllLines(resultsFile).ToDictionary(l => ScoringJson.DeserializeResult(Encoding.UTF8.GetBytes(l)).JobId!);
        Assert.Equal(["evt-deleted", "evt-no-prompt", "evt-scored", "v1-request"], lines.Keys.Order(StringComparer.Ordinal));
        var scored = Result(lines["evt-scored"]);
        var request = Result(lines["v1-request"]);
        Assert.Null(scored.Error);
        Assert.Equal(request.Scores!.Quality, scored.Scores!.Quality, 1e-6);
        Assert.Equal(request.Scores.Alignment, scored.Scores.Alignment, 1e-6);
        Assert.Equal(expected[2 * Sample], scored.Scores.Quality, 1e-3);
        Assert.Equal(expected[(2 * Sample) + 1], scored.Scores.Alignment, 1e-3);
        Assert.Equal(uploaded.Uri.AbsoluteUri, scored.Image!.Uri);
        Assert.Equal($"/blobServices/default/containers/{container.Name}/blobs/{uploaded.Name}", scored.CorrelationId);
        Assert.Equal("Microsoft.Storage.BlobCreated", scored.Attributes!["eventType"]);

        // Keyed by its event id: a redelivered event rewrites the same result, and a request on the same image is a job of its own.
        Assert.Equal(ResultKeys.ForEvent("evt-scored", scored.Model!.Hash), ResultKey(lines["evt-scored"]));
        Assert.NotEqual(ResultKey(lines["v1-request"]), ResultKey(lines["evt-scored"]));

        var missing = Result(lines["evt-no-prompt"]);
        Assert.Equal(ErrorCodes.PromptMissing, missing.Error!.Code);
        Assert.Equal(bare.Uri.AbsoluteUri, missing.Image!.Uri);
        Assert.Equal(ErrorCodes.EventUnsupported, Result(lines["evt-deleted"]).Error!.Code);
        var poisoned = await ReadPoisonCodesAsync(poison);
        Assert.Equal([ErrorCodes.EventUnsupported, ErrorCodes.PromptMissing], poisoned.Order(StringComparer.Ordinal));
    }

    /// <summary>A storage event in the CloudEvents 1.0 schema, as Event Grid delivers it with <c>eventDeliverySchema: CloudEventSchemaV1_0</c>.</summary>
    private static string CloudEvent(string id, string type, string container, BlobClient blob) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["specversion"] = "1.0",
        ["type"] = type,
        ["source"] = $"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{Azurite.AccountName}",
        ["id"] = id,
        ["time"] = "2026-11-26T13:00:00.0000000Z",
        ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blob.Name}",
        ["data"] = new Dictionary<string, object>
        {
            ["api"] = "PutBlob",
            ["eTag"] = "0x8DC0000000000000",
            ["contentType"] = "application/octet-stream",
            ["contentLength"] = 1024,
            ["blobType"] = "BlockBlob",
            ["url"] = blob.Uri.AbsoluteUri,
        },
    });

    private static ScoringResult Result(string line) => ScoringJson.DeserializeResult(Encoding.UTF8.GetBytes(line));

    private static string ResultKey(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("resultKey").GetString()!;
    }

    private static async Task<List<string>> ReadPoisonCodesAsync(QueueClient poison)
    {
        var codes = new List<string>();
        foreach (var message in (await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value)
        {
            using var json = JsonDocument.Parse(QueueMessageBody.Decode(message.MessageText));
            codes.Add(json.RootElement.GetProperty("error").GetProperty("code").GetString()!);
        }

        return codes;
    }

    private IHost BuildHost(string bundle, string queue, string poison, string container, string resultsFile)
    {
        var settings = AzuriteWorkerSettings.StorageQueue(azurite.ConnectionString, bundle, queue, poison, container);
        settings["IpIqa:Sinks:File:Path"] = resultsFile;
        return AzuriteWorkerSettings.BuildHost(settings);
    }
}
