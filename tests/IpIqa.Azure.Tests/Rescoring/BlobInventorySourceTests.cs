using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Rescoring;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>The inventory source on Azurite: generated inventory runs in CSV and Parquet, the latest complete one picked, resumed from a token, and malformed or hostile files refused with a clear error.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobInventorySourceTests(AzuriteFixture azurite)
{
    private readonly RequestPacer _pacer = new(0);

    private async Task<(BlobContainerClient Gallery, BlobContainerClient Inventory)> Gallery(int images = 23)
    {
        var service = new BlobServiceClient(azurite.ConnectionString);
        var id = Guid.NewGuid().ToString("N")[..12];
        var gallery = service.GetBlobContainerClient($"gallery-{id}");
        await gallery.CreateAsync();
        for (var i = 0; i < images; i++)
        {
            var metadata = new Dictionary<string, string> { ["prompt"] = $"a photo number {i}" };
            await gallery.GetBlobClient($"g/{i % 3}/img-{i:D3}.png").UploadAsync(new BinaryData(new byte[10 + i]), new BlobUploadOptions { Metadata = metadata });
        }

        await gallery.GetBlobClient("other/skip.png").UploadAsync(new BinaryData(new byte[3]));
        return (gallery, service.GetBlobContainerClient($"inventory-{id}"));
    }

    private BlobInventorySource Source(BlobContainerClient gallery, BlobContainerClient inventory, string path = "") =>
        new(gallery, "g/", "prompt", inventory, path, _pacer);

    private static async Task<List<RescorePage>> Pages(IRescoreSource source, string? token = null, int pageSize = 5)
    {
        var pages = new List<RescorePage>();
        await foreach (var page in source.ListAsync(token, pageSize, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    private async Task ListsAsTheBlobListingDoes(string format)
    {
        var (gallery, inventory) = await Gallery();
        var rows = await InventoryFiles.RowsOf(gallery);
        rows.Add(new InventoryFiles.Row("another-container/g/x.png", 5, "0x1", "{}")); // another container's row in the same report
        await InventoryFiles.WriteRun(inventory, "2026/12/07/01-00-00", rows, format, files: 3);

        var listed = (await Pages(new BlobRescoreSource(gallery, "g/", "prompt", _pacer), pageSize: 100)).SelectMany(p => p.Items).ToList();
        var pages = await Pages(Source(gallery, inventory));

        Assert.Equal(23, listed.Count);
        Assert.Equal(listed, pages.SelectMany(p => p.Items).OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Items.Count));
        Assert.All(pages[..^1], p => Assert.NotNull(p.ContinuationToken));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal("a photo number 7", pages.SelectMany(p => p.Items).Single(i => i.Key == "g/1/img-007.png").Prompt);

        // A resumed listing reads on from the page after the token, inside the same report files.
        var resumed = await Pages(Source(gallery, inventory), pages[1].ContinuationToken);
        Assert.Equal(pages.Skip(2).SelectMany(p => p.Items), resumed.SelectMany(p => p.Items));
    }

    [RequiresNodeFact]
    public Task Csv_ListsTheSameItemsAsTheBlobListing_InPages_AndResumesFromAToken() => ListsAsTheBlobListingDoes("csv");

    [RequiresNodeFact]
    public Task Parquet_ListsTheSameItemsAsTheBlobListing_InPages_AndResumesFromAToken() => ListsAsTheBlobListingDoes("parquet");

    [RequiresNodeFact]
    public async Task TheLatestCompleteSucceededManifest_IsRead_AndAResumedRunKeepsItsManifest()
    {
        var (gallery, inventory) = await Gallery(images: 8);
        var rows = await InventoryFiles.RowsOf(gallery);
        var older = await InventoryFiles.WriteRun(inventory, "2026/12/05/01-00-00", rows[..4]);
        var chosen = await InventoryFiles.WriteRun(inventory, "2026/12/06/01-00-00", rows);
        await InventoryFiles.WriteRun(inventory, "2026/12/07/01-00-00", rows[..2], status: "Failed");
        await InventoryFiles.WriteRun(inventory, "2026/12/08/01-00-00", rows[..1], complete: false); // still running: no checksum
        await InventoryFiles.WriteRun(inventory, "2026/12/09/01-00-00", rows[..1], prefixMatch: [$"{gallery.Name}/elsewhere/"]);

        var source = Source(gallery, inventory);
        var pages = await Pages(source, pageSize: 3);
        Assert.Equal(chosen, source.ManifestBlob);
        Assert.Equal(8, pages.Sum(p => p.Items.Count));

        // Naming a manifest reads that one; a token names its manifest, so a resumed run stays on it.
        var named = Source(gallery, inventory, older);
        Assert.Equal(4, (await Pages(named)).Sum(p => p.Items.Count));
        var resumed = Source(gallery, inventory);
        Assert.Equal(5, (await Pages(resumed, pages[0].ContinuationToken)).Sum(p => p.Items.Count));
        Assert.Equal(chosen, resumed.ManifestBlob);
    }

    private static readonly (string Case, string Expected)[] Hostile =
    [
        ("manifest-not-json", "is not valid JSON"),
        ("manifest-files-missing", "'files' is missing"),
        ("manifest-size-negative", "files[0].size is not a byte count"),
        ("report-truncated", "the manifest says"),
        ("report-missing", "does not exist"),
        ("no-metadata-field", "lacks the schema field(s) Metadata"),
        ("no-name-column", "has no 'Name' column"),
        ("short-row", "fields, the header has 6"),
        ("size-not-a-number", "Content-Length 'lots' is not a byte count"),
        ("metadata-not-json", "Metadata is not a JSON object"),
        ("unclosed-quote", "a quoted field is not closed"),
        ("parquet-garbage", "is not a readable Parquet file"),
        ("no-manifest", "No inventory manifest"),
    ];

    [RequiresNodeFact]
    public async Task MalformedOrHostileInventoryFiles_AreRefusedWithAClearError_NeverACrash()
    {
        var failures = new List<string>();
        foreach (var (name, expected) in Hostile)
        {
            var (gallery, inventory) = await Gallery(images: 2);
            var rows = await InventoryFiles.RowsOf(gallery);
            await Arrange(name, inventory, rows);
            var error = await Record.ExceptionAsync(() => Pages(Source(gallery, inventory)));
            if (error is not InvalidDataException || !error.Message.Contains(expected, StringComparison.Ordinal))
            {
                failures.Add($"{name}: {error?.GetType().Name}: {error?.Message}");
            }
        }

        Assert.Empty(failures);
    }

    private static async Task Arrange(string name, BlobContainerClient inventory, List<InventoryFiles.Row> rows)
    {
        const string run = "2026/12/07/01-00-00";
        const string report = $"{run}/gallery-daily/gallery-daily_1.csv";
        async Task Replace(string blob, string text) => await inventory.GetBlobClient(blob).UploadAsync(BinaryData.FromString(text), overwrite: true);
        async Task ReplaceSameSize(string text)
        {
            await InventoryFiles.WriteRun(inventory, run, rows, files: 1, editManifest: m => m.Replace(
                $"\"size\":{Encoding.UTF8.GetByteCount(InventoryFiles.Csv(rows))}", $"\"size\":{Encoding.UTF8.GetByteCount(text)}", StringComparison.Ordinal));
            await Replace(report, text);
        }

        var good = InventoryFiles.Csv(rows);
        switch (name)
        {
            case "manifest-not-json":
                await InventoryFiles.WriteRun(inventory, run, rows, editManifest: m => m[..^5]);
                break;
            case "manifest-files-missing":
                await InventoryFiles.WriteRun(inventory, run, rows, editManifest: m => m.Replace("\"files\"", "\"filez\"", StringComparison.Ordinal));
                break;
            case "manifest-size-negative":
                await InventoryFiles.WriteRun(inventory, run, rows, files: 1, editManifest: m => m.Replace("\"size\":", "\"size\":-", StringComparison.Ordinal));
                break;
            case "report-truncated":
                await InventoryFiles.WriteRun(inventory, run, rows, files: 1);
                await Replace(report, good[..^10]);
                break;
            case "report-missing":
                await InventoryFiles.WriteRun(inventory, run, rows, files: 1);
                await inventory.GetBlobClient(report).DeleteAsync();
                break;
            case "no-metadata-field":
                await InventoryFiles.WriteRun(inventory, run, rows, fields: ["Name", "Etag", "Content-Length"]);
                break;
            case "no-name-column":
                await ReplaceSameSize(good.Replace("Name,", "Nom,", StringComparison.Ordinal));
                break;
            case "short-row":
                await ReplaceSameSize(good + "\"x/y.png\",1\n");
                break;
            case "size-not-a-number":
                await ReplaceSameSize(good.Replace($",{rows[0].Size},", ",lots,", StringComparison.Ordinal));
                break;
            case "metadata-not-json":
                await ReplaceSameSize(good.Replace("\"{", "\"[", StringComparison.Ordinal));
                break;
            case "unclosed-quote":
                await ReplaceSameSize(good + "\"never closed,1,2\n");
                break;
            case "parquet-garbage":
                await InventoryFiles.WriteRun(inventory, run, rows, format: "parquet", files: 1);
                var parquet = $"{run}/gallery-daily/gallery-daily_1.parquet";
                var size = (await inventory.GetBlobClient(parquet).GetPropertiesAsync()).Value.ContentLength;
                await inventory.GetBlobClient(parquet).UploadAsync(new BinaryData(Enumerable.Repeat((byte)'P', (int)size).ToArray()), overwrite: true);
                break;
            case "no-manifest":
                await inventory.CreateIfNotExistsAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }
}
