using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>
/// Serves images from a dictionary: by path, or by a URI it holds (other URIs are not its own); a key
/// mapped to an exception throws it. <see cref="Metadata"/> gives an image's store metadata.
/// </summary>
public sealed class FakeImageSource : IImageSource
{
    public Dictionary<string, byte[]> Images { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Exception> Failures { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyDictionary<string, string>> Metadata { get; } = new(StringComparer.Ordinal);

    public int Version { get; set; } = 1;

    public bool CanFetch(ImageReference image) =>
        image?.Path is not null || (image?.Uri is { } uri && (Images.ContainsKey(uri) || Failures.ContainsKey(uri)));

    public Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var key = image.Path ?? image.Uri!;
        if (Failures.TryGetValue(key, out var failure))
        {
            throw failure;
        }

        if (!Images.TryGetValue(key, out var bytes))
        {
            throw new Errors.IpIqaException(Errors.ErrorCodes.ImageNotFound, $"Image '{key}' does not exist.");
        }

        return Task.FromResult(new FetchedImage(bytes, $"fake:{key}#v{Version}", Metadata.GetValueOrDefault(key)));
    }
}
