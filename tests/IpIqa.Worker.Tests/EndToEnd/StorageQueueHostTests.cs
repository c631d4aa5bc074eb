using IpIqa.Inference.Tests.Support;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IpIqa.Core.Contracts;
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
/// The whole worker host with the reference model on Azurite: the fixture images as blobs, their
/// prompts as Storage Queue jobs; the scores in the tags, the table and the results file match the
/// official implementation's (scores.f32), and the queue ends empty.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueHostTests(AzuriteFixture azurite)
{
    private const double Tolerance = 1e-3;

    [RequiresNodeAndFixturesFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab, "ipiqa-reference/scores.f32")]
    public async Task Fixture_jobs_are_scored_like_the_reference_and_written_to_tags_table_and_file()
    {
        using var bundle = new ReferenceBundle();
        using var work = new TempDirectory("ipiqa-host-e2e");
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var queue = new QueueClient(azurite.ConnectionString, $"jobs{suffix}");
        var container = new BlobContainerClient(azurite.ConnectionString, $"gallery{suffix}");
        var table = new TableClient(azurite.ConnectionString, $"results{suffix}");
        await queue.CreateAsync();
        await container.CreateAsync();
        var samples = ReferenceBundle.Samples();
        var expected = ReferenceBundle.Scores();
        for (var i = 0; i < samples.Count; i++)
        {
            var blob = container.GetBlobClient(Path.GetFileName(samples[i].Image));
            await blob.UploadAsync(samples[i].Image);
            await queue.SendMessageAsync(JsonSerializer.Serialize(new { jobId = $"ref-{i}", image = new { uri = blob.Uri.AbsoluteUri }, prompt = samples[i].Prompt }));
        }

        var resultsFile = Path.Combine(work.Path, "results.jsonl");
        using (var host = BuildHost(bundle.Folder, queue.Name, container.Name, table.Name, resultsFile))
        {
            await host.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the jobs were not all settled in 90 s");
                await Task.Delay(200);
            }

            await host.StopAsync();
        }

        var rows = table.Query<TableEntity>().ToDictionary(r => r.GetString("JobId")!);
        var lines = File.ReadAllLines(resultsFile).Select(l => ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(l))).ToDictionary(r => r.JobId!);
        Assert.Equal(samples.Count, rows.Count);
        Assert.Equal(samples.Count, lines.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var (quality, alignment) = (expected[2 * i], expected[(2 * i) + 1]);
            var result = lines[$"ref-{i}"];
            Assert.Null(result.Error);
            Assert.Equal(quality, result.Scores!.Quality, Tolerance);
            Assert.Equal(alignment, result.Scores.Alignment, Tolerance);
            Assert.Equal(result.Scores.Quality, rows[$"ref-{i}"].GetDouble("Quality")!.Value, 1e-12);
            var tags = (await container.GetBlobClient(Path.GetFileName(samples[i].Image)).GetTagsAsync()).Value.Tags;
            Assert.Equal(IpIqa.Azure.Blobs.ScoreTags.FixedWidth(result.Scores.Alignment), tags["ipiqa_a"]);
            Assert.Equal(result.Model!.Hash, tags["ipiqa_m"]);
        }
    }

    private IHost BuildHost(string bundle, string queue, string container, string table, string resultsFile)
    {
        var settings = AzuriteWorkerSettings.StorageQueue(azurite.ConnectionString, bundle, queue, queue + "-poison", container);
        settings["IpIqa:Sinks:BlobTags"] = "true";
        settings["IpIqa:Sinks:Table:Enabled"] = "true";
        settings["IpIqa:Sinks:Table:ConnectionString"] = azurite.ConnectionString;
        settings["IpIqa:Sinks:Table:TableName"] = table;
        settings["IpIqa:Sinks:File:Path"] = resultsFile;
        return AzuriteWorkerSettings.BuildHost(settings);
    }
}
