using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace BatchFill;

/// <summary>Serves every <c>sim://</c> image after <c>fetch</c>, the round trip of a blob download.</summary>
public sealed class SimulatedImages(TimeSpan fetch) : IImageSource
{
    private static readonly byte[] Bytes = [1, 2, 3];

    public bool CanFetch(ImageReference image) => image?.Uri?.StartsWith("sim://", StringComparison.Ordinal) == true;

    public async Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        await Task.Delay(fetch, cancellationToken).ConfigureAwait(false);
        return new FetchedImage(Bytes, image.Uri!);
    }
}
