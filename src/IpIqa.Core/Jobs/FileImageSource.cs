using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Reads <c>image.path</c> for the operator's own commands (<c>ipiqa score</c>, <c>ipiqa rescore</c>): a relative
/// path resolves against <paramref name="baseFolder"/> (the manifest's or the input folder), an absolute path is
/// read where it is, links are followed. Not for the worker: its callers are untrusted, and its source
/// confines every path to its image root.
/// </summary>
public sealed class FileImageSource(string baseFolder) : IImageSource
{
    private readonly string _baseFolder = Path.GetFullPath(baseFolder);

    public bool CanFetch(ImageReference image) => image?.Path is not null;

    public async Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = image.Path!;
        string full;
        try
        {
            full = Path.GetFullPath(name, _baseFolder);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"Image path '{name}' is not a valid path: {ex.Message}", ex);
        }

        var target = ImageFiles.Target(full);
        var bytes = await ImageFiles.ReadAsync(full, name, maxBytes, cancellationToken).ConfigureAwait(false);
        return new FetchedImage(bytes, $"file:{target.FullName}#mtime:{target.LastWriteTimeUtc.Ticks}:length:{bytes.Length}");
    }
}
