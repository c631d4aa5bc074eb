using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Rescoring;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using static IpIqa.Azure.Tests.Rescoring.ChangeFeedFiles;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>The change feed source on Azurite, over a synthetic feed with the service's layout: only the gallery's created or changed blobs since the cursor, each once at its current version, resumable, and a damaged feed refused clearly.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChangeFeedSourceTests(AzuriteFixture azurite)
{
    // The feed's hours begin at the current hour, so the blobs written now fall inside its window (ending two hours on).
    private readonly DateTimeOffset _start = HourOf(DateTimeOffset.UtcNow);
    private readonly RequestPacer _pacer = new(0);

    private async Task<(BlobContainerClient Gallery, BlobContainerClient Feed, Dictionary<string, string> Etags)> Arrange()
    {
        var service = new BlobServiceClient(azurite.ConnectionString);
        var id = Guid.NewGuid().ToString("N")[..12];
        var gallery = service.GetBlobContainerClient($"gallery-{id}");
        await gallery.CreateAsync();
        var etags = new Dictionary<string, string>();
        foreach (var name in (string[])["g/a.png", "g/b.png", "g/d.png", "g/e.png", "h/outside.png"])
        {
            var options = new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["prompt"] = $"prompt of {name}" } };
            etags[name] = (await gallery.GetBlobClient(name).UploadAsync(new BinaryData(new byte[7]), options)).Value.ETag.ToString().Trim('"');
        }

        var feed = service.GetBlobContainerClient($"changefeed-{id}");
        var g = gallery.Name;
        await WriteSegment(feed, _start,
            [
                new Change("BlobCreated", g, "g/a.png", "0xOLDVERSION"), // a changed again later: listed once, at its later event
                new Change("BlobCreated", g, "g/b.png", etags["g/b.png"]),
                new Change("BlobDeleted", g, "g/e.png", etags["g/e.png"]),
                new Change("BlobCreated", "another-container", "g/z.png", "0x1"),
                new Change("BlobCreated", g, "g/gone.png", "0x2"), // deleted since
            ],
            [new Change("BlobCreated", g, "h/outside.png", etags["h/outside.png"])]);
        await WriteSegment(feed, _start.AddHours(1),
            [new Change("BlobPropertiesUpdated", g, "g/a.png", etags["g/a.png"]), new Change("BlobCreated", g, "g/d.png", etags["g/d.png"])]);
        await WriteSegment(feed, _start.AddHours(2), [new Change("BlobCreated", g, "g/e.png", etags["g/e.png"])]); // not consumable yet
        await WriteSegmentsJson(feed, _start.AddHours(2));
        return (gallery, feed, etags);
    }

    private static DateTimeOffset HourOf(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static async Task<List<RescorePage>> Pages(IRescoreSource source, string? token = null, int pageSize = 1)
    {
        var pages = new List<RescorePage>();
        await foreach (var page in source.ListAsync(token, pageSize, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    [RequiresNodeFact]
    public async Task ListsTheGallerysCreatedOrChangedBlobs_OnceEach_AtTheirCurrentVersion_UpToLastConsumable()
    {
        var (gallery, feed, etags) = await Arrange();
        var source = new ChangeFeedSource(gallery, "g/", "prompt", feed, _pacer);

        var items = (await Pages(source, pageSize: 10)).SelectMany(p => p.Items).ToList();

        Assert.Equal(["g/b.png", "g/gone.png", "g/a.png", "g/d.png"], items.Select(i => i.Key));
        Assert.Equal([false, true, false, false], items.Select(i => i.Deleted)); // gone: a deletion, which the runner drops when its base never held the image
        Assert.Equal(items.Where(i => !i.Deleted).Select(i => etags[i.Key]), items.Where(i => !i.Deleted).Select(i => i.Version));
        Assert.Equal("prompt of g/a.png", items[2].Prompt);
        Assert.Equal(7, items[2].Size);
        Assert.Equal(_start.AddHours(2), source.End);
    }

    [RequiresNodeFact]
    public async Task FromThePreviousRunsCursor_OnlyLaterSegmentsAreRead()
    {
        var (gallery, feed, _) = await Arrange();
        var source = new ChangeFeedSource(gallery, "g/", "prompt", feed, _pacer) { Since = _start.AddHours(1) };

        var items = (await Pages(source, pageSize: 10)).SelectMany(p => p.Items);

        Assert.Equal(["g/a.png", "g/d.png"], items.Select(i => i.Key));
    }

    [RequiresNodeFact]
    public async Task ADeletedBlob_IsListedAsDeleted_WhileItIsStillGone()
    {
        var (gallery, feed, etags) = await Arrange();
        var g = gallery.Name;
        await gallery.GetBlobClient("g/b.png").DeleteAsync();
        await WriteSegment(feed, _start.AddHours(1),
            [
                new Change("BlobPropertiesUpdated", g, "g/a.png", etags["g/a.png"]),
                new Change("BlobDeleted", g, "g/b.png", etags["g/b.png"]),
                new Change("BlobDeleted", g, "g/d.png", etags["g/d.png"]), // created again since: its next event lists it
                new Change("BlobCreated", g, "g/d.png", etags["g/d.png"]),
            ]);
        var source = new ChangeFeedSource(gallery, "g/", "prompt", feed, _pacer) { Since = _start.AddHours(1) };

        var items = (await Pages(source, pageSize: 10)).SelectMany(p => p.Items).ToList();

        Assert.Equal(["g/a.png", "g/b.png", "g/d.png"], items.Select(i => i.Key));
        Assert.Equal([false, true, false], items.Select(i => i.Deleted));
        Assert.Null(items[1].Prompt);
    }

    [RequiresNodeFact]
    public async Task EachEventIsJudgedByTheBlobAsItIsNow_AChangeAfterTheWindowIsListedAtItsCurrentVersion_AndAGoneBlobAsDeleted()
    {
        var (gallery, feed, etags) = await Arrange();
        var g = gallery.Name;
        var recreated = (await gallery.GetBlobClient("g/r.png").UploadAsync(new BinaryData(new byte[9]))).Value.ETag.ToString().Trim('"');
        var old = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"{feed.Name}-old");

        // A window that ended hours before the blobs were last written: their later events belong to the next run's window.
        await WriteSegment(old, _start.AddHours(-3),
            [
                new Change("BlobDeleted", g, "g/r.png", "0xBEFORE"), // created again after the window
                new Change("BlobCreated", g, "g/a.png", "0xOLDVERSION"), // changed again after the window
                new Change("BlobPropertiesUpdated", g, "g/c.png", "0x3"), // deleted after the window
            ]);
        await WriteSegmentsJson(old, _start.AddHours(-2));
        var source = new ChangeFeedSource(gallery, "g/", "prompt", old, _pacer);

        var items = (await Pages(source, pageSize: 10)).SelectMany(p => p.Items).ToList();

        Assert.Equal(["g/r.png", "g/a.png", "g/c.png"], items.Select(i => i.Key));
        Assert.Equal([recreated, etags["g/a.png"], ""], items.Select(i => i.Version));
        Assert.Equal([false, false, true], items.Select(i => i.Deleted));
    }

    [RequiresNodeFact]
    public async Task AResumeFromEveryToken_ListsExactlyTheRest()
    {
        var (gallery, feed, _) = await Arrange();
        var pages = await Pages(new ChangeFeedSource(gallery, "g/", "prompt", feed, _pacer));
        var all = pages.SelectMany(p => p.Items).ToList();

        for (var i = 0; i < pages.Count - 1; i++)
        {
            var resumed = new ChangeFeedSource(gallery, "g/", "prompt", feed, _pacer) { Since = _start.AddHours(5) }; // the token's own cursor wins
            Assert.Equal(all.Skip(i + 1), (await Pages(resumed, pages[i].ContinuationToken)).SelectMany(p => p.Items));
            Assert.Equal(_start.AddHours(2), resumed.End);
        }
    }

    [RequiresNodeFact]
    public async Task ADamagedFeed_OrAForeignToken_IsAClearError()
    {
        var (gallery, feed, _) = await Arrange();
        var source = new ChangeFeedSource(gallery, "g/", "prompt", feed, _pacer);
        await feed.GetBlobClient($"log/00/{_start.AddHours(1).UtcDateTime.ToString("yyyy/MM/dd/HHmm", System.Globalization.CultureInfo.InvariantCulture)}/00000.avro").UploadAsync(BinaryData.FromString("not avro at all"), overwrite: true);

        var chunk = await Assert.ThrowsAsync<InvalidDataException>(() => Pages(source));
        var token = await Assert.ThrowsAsync<InvalidDataException>(() => Pages(source, "p1:0:g/a.png"));
        var missing = await Assert.ThrowsAsync<InvalidDataException>(() => Pages(new ChangeFeedSource(gallery, "g/", "prompt", new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("no-feed-here"), _pacer)));

        Assert.Contains("is not a readable Avro file of events", chunk.Message, StringComparison.Ordinal);
        Assert.Contains("is not a change feed position", token.Message, StringComparison.Ordinal);
        Assert.Contains("is the change feed enabled", missing.Message, StringComparison.Ordinal);
    }
}
