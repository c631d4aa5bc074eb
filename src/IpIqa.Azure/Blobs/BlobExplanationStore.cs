using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// Stores explanations as two blobs in one container (<c>IpIqa:Sinks:Explain:Container</c> on the account of
/// <c>IpIqa:Blob</c>), overwriting, with their content types. The result names their URIs, which carry no SAS:
/// readers use their own access. The container is created on first use when missing.
/// </summary>
public sealed class BlobExplanationStore(BlobContainerClient container) : IExplanationStore
{
    private volatile bool _created;

    public async Task<ResultExplanation> SaveAsync(string stem, Explanation explanation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stem);
        ArgumentNullException.ThrowIfNull(explanation);
        if (!_created)
        {
            // Idempotent: two jobs that race here both succeed.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }

        var overlay = await UploadAsync(stem + Explanation.OverlaySuffix, explanation.OverlayPng, "image/png", cancellationToken).ConfigureAwait(false);
        var attention = await UploadAsync(stem + Explanation.AttentionSuffix, explanation.AttentionJson, "application/json", cancellationToken).ConfigureAwait(false);
        return new ResultExplanation(overlay, attention);
    }

    private async Task<string> UploadAsync(string name, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
        await blob.UploadAsync(new BinaryData(bytes), options, cancellationToken).ConfigureAwait(false);
        return UriRedaction.StripAll(blob.Uri.AbsoluteUri);
    }
}
