using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Rescoring;

/// <summary>
/// A blob container (optionally under a prefix) as a gallery: blobs listed in name order with their
/// metadata, the prompt read from the metadata key <c>promptKey</c>. The continuation token is the
/// service's own marker, so a resumed run lists on from the page after the last checkpoint.
/// Every request (list page or download) waits on the <see cref="RequestPacer"/>.
/// </summary>
public sealed class BlobRescoreSource(BlobContainerClient container, string? prefix, string promptKey, RequestPacer pacer) : IRescoreSource
{
    public string Description => $"blob:{container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{prefix}";

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var pages = container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = prefix }, cancellationToken)
            .AsPages(continuationToken, pageSize);
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                yield break;
            }

            var page = enumerator.Current;
            var items = page.Values.Where(b => b.Deleted is not true).Select(ToItem).ToArray();
            yield return new RescorePage(items, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }
    }

    public async Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Size > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Blob '{item.Key}' has {item.Size} bytes; the limit is {maxBytes}.");
        }

        await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await container.GetBlobClient(item.Key).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Blob '{item.Key}' no longer exists.");
        }
    }

    internal RescoreItem ToItem(BlobItem blob)
    {
        var prompt = PromptMetadata.Find(blob.Metadata, promptKey);
        var size = blob.Properties.ContentLength ?? 0;
        var version = blob.Properties.ETag?.ToString() ?? blob.VersionId ?? "";
        return new RescoreItem(blob.Name, container.GetBlobClient(blob.Name).Uri.AbsoluteUri, size, version, prompt);
    }
}
