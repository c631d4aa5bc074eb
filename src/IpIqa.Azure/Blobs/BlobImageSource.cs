using System.Collections.ObjectModel;
using Azure;
using Azure.Storage.Blobs.Models;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// Fetches images from allow-listed blobs. Reads the properties first (404 → <c>image_not_found</c>,
/// Content-Length over the cap → <c>image_too_large</c>, 0 → <c>image_empty</c>), then downloads that
/// exact version (If-Match on the ETag). The identity is the URI plus the ETag (or version id). The
/// blob's metadata comes from the same download response (a blob event's prompt is there).
/// Throttling and 5xx surface as <see cref="RequestFailedException"/>: transient, the job is retried; a request
/// refused for good (400, 413...) is <c>internal_error</c> (<see cref="PermanentFailures"/>).
/// </summary>
public sealed class BlobImageSource(BlobClientResolver resolver) : IImageSource
{
    public bool CanFetch(ImageReference image) => image?.Uri is not null;

    public async Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (blob, location) = resolver.Resolve(image.Uri!);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image blob '{location.CanonicalUri}' does not exist.", ex);
        }
        catch (RequestFailedException ex) when (PermanentFailures.IsPermanent(ex))
        {
            throw PermanentFailures.Refused($"Reading image blob '{location.CanonicalUri}'", ex);
        }

        if (properties.ContentLength == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image blob '{location.CanonicalUri}' is empty.");
        }

        if (properties.ContentLength > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image blob '{location.CanonicalUri}' has {properties.ContentLength} bytes; the limit is {maxBytes} (IpIqa:Preprocessing:MaxBytes).");
        }

        BlobDownloadResult content;
        try
        {
            content = (await blob.DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } },
                cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image blob '{location.CanonicalUri}' was deleted while it was read.", ex);
        }
        catch (RequestFailedException ex) when (PermanentFailures.IsPermanent(ex))
        {
            throw PermanentFailures.Refused($"Reading image blob '{location.CanonicalUri}'", ex);
        }

        var bytes = content.Content.ToMemory();
        if (bytes.Length > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image blob '{location.CanonicalUri}' has {bytes.Length} bytes; the limit is {maxBytes} (IpIqa:Preprocessing:MaxBytes).");
        }

        var version = properties.VersionId is { Length: > 0 } id ? $"version:{id}" : $"etag:{properties.ETag}";
        var metadata = content.Details.Metadata is { Count: > 0 } m ? new ReadOnlyDictionary<string, string>(m) : null;
        return new FetchedImage(bytes, $"blob:{location.CanonicalUri}#{version}", metadata);
    }
}
