using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Local;

/// <summary>
/// Reads images by <c>image.path</c>, confined to <see cref="LocalOptions.ImageRoot"/>: a path that
/// leaves the root (<c>..</c>, an absolute path elsewhere, a link pointing out) is <c>source_not_allowed</c>.
/// The identity is the full path, modification time and length.
/// </summary>
public sealed class LocalImageSource(IOptions<LocalOptions> options) : IImageSource
{
    public bool CanFetch(ImageReference image) => image?.Path is not null;

    public async Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var path = image.Path!;
        var full = Resolve(path);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{path}' does not exist under IpIqa:Local:ImageRoot.");
        }

        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target && !IsUnderRoot(target.FullName))
        {
            throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"image.path '{path}' is a link that leads outside IpIqa:Local:ImageRoot.");
        }

        if (info.Length == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image '{path}' is empty.");
        }

        if (info.Length > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image '{path}' has {info.Length} bytes; the limit is {maxBytes} (IpIqa:Preprocessing:MaxBytes).");
        }

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{path}' was removed while it was read.", ex);
        }

        var identity = $"file:{full}#mtime:{info.LastWriteTimeUtc.Ticks}:length:{info.Length}";
        return new FetchedImage(bytes, identity);
    }

    /// <summary>The full path of <paramref name="path"/> under the root; throws <c>source_not_allowed</c> when it leaves it.</summary>
    public string Resolve(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(Root, path));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"image.path '{path}' is not a valid path: {ex.Message}", ex);
        }

        if (!IsUnderRoot(full))
        {
            throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"image.path '{path}' is outside IpIqa:Local:ImageRoot.");
        }

        return full;
    }

    private string Root => Path.GetFullPath(options.Value.ImageRoot);

    private bool IsUnderRoot(string full)
    {
        var root = Path.TrimEndingDirectorySeparator(Root) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal);
    }
}
