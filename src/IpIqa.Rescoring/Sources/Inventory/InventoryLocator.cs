using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace IpIqa.Rescoring;

/// <summary>
/// Finds the inventory run to read: the latest complete manifest under a path of the inventory's
/// destination container whose rule lists the gallery. Inventory writes each rule run under
/// <c>YYYY/MM/DD/HH-MM-SS/</c> (the start time, so names sort by time); its <c>*manifest.json</c>
/// names the report files, and the <c>*manifest.checksum</c> beside it is written last, marking the
/// run complete. A manifest without its checksum is a run still in progress and is passed over, as is
/// one that failed or whose rule does not fit (<see cref="InventoryManifest.Unusable"/>).
/// </summary>
internal static class InventoryLocator
{
    private const string ManifestSuffix = "manifest.json";
    private const string ChecksumSuffix = "manifest.checksum";

    /// <summary>
    /// The manifest <paramref name="path"/> names (a blob ending in <c>manifest.json</c>), or the latest usable one under
    /// the folder <paramref name="path"/> (empty: the whole container) for <paramref name="container"/>/<paramref name="prefix"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">No complete, usable manifest; the message lists what was passed over and why.</exception>
    public static async Task<InventoryManifest> LatestAsync(BlobContainerClient inventory, string path, string container, string prefix, RequestPacer pacer, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var checksums = new HashSet<string>(StringComparer.Ordinal);
        var listPrefix = path.EndsWith(ManifestSuffix, StringComparison.Ordinal) ? path[..^ManifestSuffix.Length] : path;
        try
        {
            await foreach (var page in inventory.GetBlobsAsync(new GetBlobsOptions { Prefix = listPrefix.Length == 0 ? null : listPrefix }, cancellationToken).AsPages(pageSizeHint: 5000).ConfigureAwait(false))
            {
                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                foreach (var blob in page.Values)
                {
                    if (blob.Name.EndsWith(ChecksumSuffix, StringComparison.Ordinal))
                    {
                        checksums.Add(blob.Name[..^ChecksumSuffix.Length]);
                    }
                    else if (blob.Name.EndsWith(ManifestSuffix, StringComparison.Ordinal) && (path == listPrefix || blob.Name == path))
                    {
                        names.Add(blob.Name);
                    }
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new InvalidDataException($"Inventory container '{inventory.Name}' does not exist.", e);
        }

        var passed = new List<string>();
        foreach (var name in names.OrderByDescending(n => n, StringComparer.Ordinal))
        {
            if (!checksums.Contains(name[..^ManifestSuffix.Length]))
            {
                passed.Add($"{name}: no checksum yet (run in progress)");
                continue;
            }

            var manifest = await ReadAsync(inventory, name, pacer, cancellationToken).ConfigureAwait(false);
            if (manifest.Unusable(container, prefix) is { } why)
            {
                passed.Add($"{name}: {why}");
                continue;
            }

            return manifest;
        }

        var where = $"{inventory.Name}/{path}";
        throw new InvalidDataException(passed.Count == 0
            ? $"No inventory manifest (*{ManifestSuffix}) under '{where}'."
            : $"No complete inventory manifest under '{where}' lists {container}/{prefix}; passed over: {string.Join("; ", passed.Take(5))}{(passed.Count > 5 ? $" (and {passed.Count - 5} more)" : "")}.");
    }

    /// <summary>Reads and parses the manifest blob <paramref name="name"/>, refusing one over <see cref="InventoryManifest.MaxBytes"/>.</summary>
    public static async Task<InventoryManifest> ReadAsync(BlobContainerClient inventory, string name, RequestPacer pacer, CancellationToken cancellationToken)
    {
        var blob = inventory.GetBlobClient(name);
        await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.Value.ContentLength > InventoryManifest.MaxBytes)
            {
                throw new InvalidDataException($"Inventory manifest '{name}' has {properties.Value.ContentLength} bytes, more than {InventoryManifest.MaxBytes}.");
            }

            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return InventoryManifest.Parse(content.Value.Content.ToMemory(), name);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new InvalidDataException($"Inventory manifest '{inventory.Name}/{name}' does not exist.", e);
        }
    }
}
