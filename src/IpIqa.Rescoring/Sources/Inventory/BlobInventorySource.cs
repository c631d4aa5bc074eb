using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;

namespace IpIqa.Rescoring;

/// <summary>
/// A blob container (optionally under a prefix) as a gallery, enumerated from its Azure Blob
/// Inventory report instead of by listing: the latest complete manifest under
/// <c>inventoryPath</c> of the inventory container (<see cref="InventoryLocator"/>), then its report
/// files, CSV or Parquet, one at a time: each is downloaded to a temporary file (its size checked
/// against the manifest), streamed (<see cref="InventoryReportReader"/>) and deleted, so memory holds
/// one page and disk one report file. Rows outside <c>container/prefix</c> are passed over. Items are
/// those of <see cref="BlobRescoreSource"/> (the key is the blob name, the version the ETag, the
/// prompt the metadata value under <c>promptKey</c>), and images are read from the gallery as it does.
/// The continuation token is <c>file:row:manifest</c>, so a resumed run reads on in the same inventory
/// run even after a newer one has landed.
/// </summary>
public sealed class BlobInventorySource(BlobContainerClient gallery, string? prefix, string promptKey, BlobContainerClient inventory, string inventoryPath, RequestPacer pacer) : IRescoreSource
{
    private readonly BlobRescoreSource _blobs = new(gallery, prefix, promptKey, pacer);
    private readonly string _rowPrefix = $"{gallery.Name}/{prefix}";

    public string Description => $"inventory:{gallery.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{prefix}";

    /// <summary>The manifest the last listing read (null before one).</summary>
    internal string? ManifestBlob { get; private set; }

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var (fileIndex, skip, manifestName) = continuationToken is null ? (0, 0L, null) : ParseToken(continuationToken);
        var manifest = manifestName is null
            ? await InventoryLocator.LatestAsync(inventory, inventoryPath, gallery.Name, prefix ?? "", pacer, cancellationToken).ConfigureAwait(false)
            : await InventoryLocator.ReadAsync(inventory, manifestName, pacer, cancellationToken).ConfigureAwait(false);
        ManifestBlob = manifest.Blob;
        var items = new List<RescoreItem>(pageSize);
        RescorePage? full = null; // a full page, yielded once the next item shows it is not the last
        for (; fileIndex < manifest.Files.Count; fileIndex++, skip = 0)
        {
            var file = manifest.Files[fileIndex];
            var local = await DownloadAsync(file, cancellationToken).ConfigureAwait(false);
            try
            {
                var row = skip;
                await foreach (var entry in Rows(manifest.Format, local, file.Blob, skip, cancellationToken).ConfigureAwait(false))
                {
                    row++;
                    if (!entry.Name.StartsWith(_rowPrefix, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (full is not null)
                    {
                        yield return full;
                        full = null;
                    }

                    var key = entry.Name[(gallery.Name.Length + 1)..];
                    items.Add(new RescoreItem(key, gallery.GetBlobClient(key).Uri.AbsoluteUri, entry.Size, entry.Version, entry.Prompt));
                    if (items.Count == pageSize)
                    {
                        full = new RescorePage(items, Token(fileIndex, row, manifest.Blob));
                        items = new List<RescoreItem>(pageSize);
                    }
                }
            }
            finally
            {
                File.Delete(local);
            }
        }

        if (full is not null || items.Count > 0)
        {
            yield return new RescorePage(full?.Items ?? items, null);
        }
    }

    public Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken) => _blobs.ReadAsync(item, maxBytes, cancellationToken);

    private IAsyncEnumerable<InventoryRow> Rows(string format, string path, string file, long skip, CancellationToken cancellationToken) => format == "parquet"
        ? InventoryReportReader.ReadParquetAsync(path, file, skip, promptKey, cancellationToken)
        : InventoryReportReader.ReadCsv(path, file, skip, promptKey).ToAsyncEnumerable();

    private async Task<string> DownloadAsync(InventoryFile file, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ipiqa-inventory")).FullName;
        var local = Path.Combine(folder, $"{Guid.NewGuid():N}.report");
        await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inventory.GetBlobClient(file.Blob).DownloadToAsync(local, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            File.Delete(local);
            throw new InvalidDataException($"Inventory report '{file.Blob}' listed by the manifest does not exist.", e);
        }

        var length = new FileInfo(local).Length;
        if (length != file.Size)
        {
            File.Delete(local);
            throw new InvalidDataException($"Inventory report '{file.Blob}' has {length} bytes; the manifest says {file.Size} (truncated or replaced).");
        }

        return local;
    }

    private static string Token(int file, long row, string manifest) => string.Create(CultureInfo.InvariantCulture, $"{file}:{row}:{manifest}");

    private static (int File, long Row, string Manifest) ParseToken(string token)
    {
        var parts = token.Split(':', 3);
        return parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var file)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var row) && parts[2].Length > 0
            ? (file, row, parts[2])
            : throw new InvalidDataException($"Continuation token '{token}' is not an inventory position (file:row:manifest); this run was listed by another source.");
    }
}
