using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Fetches an image's bytes. Permanent problems throw <see cref="Errors.IpIqaException"/> with
/// <c>source_not_allowed</c>, <c>image_not_found</c>, <c>image_too_large</c> or <c>image_empty</c>;
/// anything else (throttling, 5xx, network) is transient and the job is retried.
/// </summary>
public interface IImageSource
{
    /// <summary>Whether this source serves <paramref name="image"/> (a blob URI, or a local path).</summary>
    bool CanFetch(ImageReference image);

    Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken);
}
