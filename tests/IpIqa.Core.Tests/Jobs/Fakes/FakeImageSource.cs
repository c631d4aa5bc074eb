using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>Serves images by path from a dictionary; a path mapped to an exception throws it.</summary>
public sealed class FakeImageSource : IImageSource
{
    public Dictionary<string, byte[]> Images { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Exception> Failures { get; } = new(StringComparer.Ordinal);

    public int Version { get; set; } = 1;

    public bool CanFetch(ImageReference image) => image?.Path is not null;

    public Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var path = image.Path!;
        if (Failures.TryGetValue(path, out var failure))
        {
            throw failure;
        }

        if (!Images.TryGetValue(path, out var bytes))
        {
            throw new Errors.IpIqaException(Errors.ErrorCodes.ImageNotFound, $"Image '{path}' does not exist.");
        }

        return Task.FromResult(new FetchedImage(bytes, $"fake:{path}#v{Version}"));
    }
}
