using System.Collections.Concurrent;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;

namespace IpIqa.Rescoring;

/// <summary>
/// The <see cref="IImageSource"/> of an in-process rescoring run: it serves the items the run has handed to the
/// <see cref="ScoringService"/> (<see cref="Pending"/>), reading each through its <see cref="IRescoreSource"/>
/// (a blob download, a file). So a gallery is scored by the same path as the worker and <c>ipiqa score</c>.
/// </summary>
public sealed class RescoreImageSource(IRescoreSource source) : IImageSource
{
    private readonly ConcurrentDictionary<string, RescoreItem> _pending = new(StringComparer.Ordinal);

    /// <summary>The reference a request names <paramref name="item"/> by: its blob URI, or its file path.</summary>
    public static ImageReference ReferenceOf(RescoreItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.LocalPath is { } path)
        {
            return new ImageReference(Path: path);
        }

        return Uri.TryCreate(item.Location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new ImageReference(Uri: item.Location)
            : new ImageReference(Path: item.Location);
    }

    /// <summary>Makes <paramref name="item"/> fetchable until the returned handle is disposed.</summary>
    public IDisposable Pending(RescoreItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var name = NameOf(ReferenceOf(item));
        _pending[name] = item;
        return new Release(() => _pending.TryRemove(name, out _));
    }

    public bool CanFetch(ImageReference image) => image is not null && _pending.ContainsKey(NameOf(image));

    public async Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!_pending.TryGetValue(NameOf(image), out var item))
        {
            throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"Image '{NameOf(image)}' is not an item of this run.");
        }

        var bytes = item.LocalPath is { } path
            ? await ImageFiles.ReadAsync(path, item.Key, maxBytes, cancellationToken).ConfigureAwait(false)
            : await source.ReadAsync(item, maxBytes, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image '{item.Key}' is empty.");
        }

        return new FetchedImage(bytes, $"{item.Location}#{item.Version}");
    }

    private static string NameOf(ImageReference image) => image.Uri ?? image.Path ?? "";

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
