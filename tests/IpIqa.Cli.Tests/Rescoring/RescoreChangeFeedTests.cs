using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Cli.Rescoring;
using IpIqa.Core.Contracts;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.Rescoring;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using static IpIqa.Azure.Tests.Rescoring.ChangeFeedFiles;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// <c>ipiqa rescore --change-feed</c> end to end on Azurite, two nights (#19). Azurite has no change
/// feed, so the test writes the account's <c>$blobchangefeed</c> container itself, with the service's
/// layout (<see cref="IpIqa.Azure.Tests.Rescoring.ChangeFeedFiles"/>).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RescoreChangeFeedTests(AzuriteFixture azurite, ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const int Count = 12;
    private readonly TempDirectory _temp = new("rescore-change-feed");

    public void Dispose() => _temp.Dispose();

    [AzuriteAndFixturesFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task TheFirstNightListsTheGallery_TheNextReadsOnlyTheFeed_ScoringTheChangedAndNewImages_AndDroppingTheDeletedOne()
    {
        var gallery = await BlobGallery.CreateAsync(azurite.ConnectionString, Count, orphanEvery: Count + 1);
        var feed = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("$blobchangefeed");
        await feed.DeleteIfExistsAsync();
        var settings = new RescoreSettings
        {
            Model = reference.Folder,
            RunsRoot = _temp.Combine("runs"),
            Container = gallery.Name,
            Prefix = "night/",
            ConnectionString = azurite.ConnectionString,
            ChangeFeed = true,
            PageSize = 5,
            BatchSize = 16,
            Threads = 1,
            Provider = ExecutionProvider.Cpu,
            KeepRuns = 0,
        };

        // Night 1: no cursor yet, so the whole container is listed and scored.
        using var firstOutput = new StringWriter();
        Assert.Equal(0, await RescoreCommandRunner.RunAsync(settings, firstOutput, CancellationToken.None));
        var firstId = Path.GetFileName(Directory.GetDirectories(settings.RunsRoot).Single());
        Assert.Contains($"{Count} items: {Count} scored now", firstOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(Count, RescoreFolderTests.ReadCsv(Path.Combine(settings.RunsRoot, firstId, "results.csv")).Count);

        // During the day: one image replaced, one added, one deleted, one added and deleted; the feed records them in an hourly segment after the cursor.
        var changed = await Upload(gallery, "night/00003.png", "a replaced picture");
        var added = await Upload(gallery, "night/00100.png", "a new picture");
        var deleted = (await gallery.GetBlobClient("night/00007.png").GetPropertiesAsync()).Value.ETag.ToString().Trim('"');
        await gallery.GetBlobClient("night/00007.png").DeleteAsync();
        var now = DateTime.UtcNow.Ticks;
        var hour = new DateTimeOffset(now - (now % TimeSpan.TicksPerHour), TimeSpan.Zero);
        await WriteSegment(feed, hour,
            [
                new Change("BlobCreated", gallery.Name, "night/00003.png", changed),
                new Change("BlobCreated", gallery.Name, "night/00100.png", added),
                new Change("BlobDeleted", gallery.Name, "night/00007.png", deleted),
                new Change("BlobCreated", gallery.Name, "elsewhere/00001.png", "0x1"), // outside the prefix
                new Change("BlobCreated", gallery.Name, "night/00200.png", "0x2"), // created and deleted within the day: no trace
                new Change("BlobDeleted", gallery.Name, "night/00200.png", "0x2"),
            ]);
        await WriteSegmentsJson(feed, hour.AddHours(1));

        // Night 2: only the feed's changes, on top of night 1.
        using var secondOutput = new StringWriter();
        Assert.Equal(0, await RescoreCommandRunner.RunAsync(settings, secondOutput, CancellationToken.None));
        var secondId = Directory.GetDirectories(settings.RunsRoot).Select(Path.GetFileName).Single(id => id != firstId)!;
        Assert.Contains($"changes since {firstId}", secondOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains(": 2 scored now (0 failed), 0 skipped", secondOutput.ToString(), StringComparison.Ordinal);
        Assert.StartsWith($"{Count} items:", secondOutput.ToString().Split('\n').Single(l => l.Contains(" scored now ", StringComparison.Ordinal)), StringComparison.Ordinal); // one replaced, one added, one deleted
        using (var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(settings.RunsRoot, secondId, "run.json"))))
        {
            Assert.True(state.RootElement.GetProperty("incremental").GetBoolean());
            Assert.Equal(hour.AddHours(1), state.RootElement.GetProperty("cursor").GetDateTimeOffset());
        }

        Assert.Equal(3, File.ReadAllLines(Path.Combine(settings.RunsRoot, secondId, "journal.jsonl")).Length); // the changes only

        using var exportOutput = new StringWriter();
        Assert.Equal(0, await RescoreCommandRunner.RunAsync(settings with { Export = secondId }, exportOutput, CancellationToken.None));
        var rows = RescoreFolderTests.ReadCsv(Path.Combine(settings.RunsRoot, secondId, "results.csv"));
        var expected = Enumerable.Range(0, Count).Where(i => i != 7).Select(i => $"night/{i:D5}.png").Append("night/00100.png");
        Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Select(r => r["key"]));
        Assert.Equal(["night/00003.png", "night/00100.png"], rows.Where(r => r["skipped"] != "true").Select(r => r["key"]));
        Assert.All(rows, r => Assert.Equal(RescoreRecord.StatusScored, r["status"]));
    }

    private static async Task<string> Upload(BlobContainerClient gallery, string name, string prompt)
    {
        var png = (await gallery.GetBlobClient("night/00000.png").DownloadContentAsync()).Value.Content;
        var options = new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["prompt"] = PromptMetadata.Encode(prompt) } };
        return (await gallery.GetBlobClient(name).UploadAsync(png, options)).Value.ETag.ToString().Trim('"');
    }
}
