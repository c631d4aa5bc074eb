using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Local;

/// <summary>
/// Reads images by <c>image.path</c>, confined to the real path of <see cref="LocalOptions.ImageRoot"/>
/// (the root itself may be a link). Every component of the path is resolved, links included, and the
/// file read must lie under the real root; anything else (<c>..</c>, an absolute path elsewhere, a link
/// to a file or folder outside) is <c>source_not_allowed</c> with one message, whether or not the
/// target exists. Only regular files are read: a directory, device, FIFO or socket is
/// <c>image_not_a_file</c>. The length and byte cap are those of the file read, never of a link.
/// The identity is the real path, modification time and length.
/// </summary>
public sealed class LocalImageSource(IOptions<LocalOptions> options) : IImageSource
{
    /// <summary>Links followed for one path at most (as the kernel's ELOOP limit).</summary>
    public const int MaxLinks = 40;

    public bool CanFetch(ImageReference image) => image?.Path is not null;

    public async Task<FetchedImage> FetchAsync(ImageReference image, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var path = image.Path!;
        var full = Resolve(path);
        using var file = RegularFile.Open(full, path, followLinks: false, where: " under IpIqa:Local:ImageRoot");
        if (file.Length == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image '{path}' is empty.");
        }

        if (file.Length > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image '{path}' has {file.Length} bytes; the limit is {maxBytes} (IpIqa:Preprocessing:MaxBytes).");
        }

        var bytes = new byte[file.Length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = await RandomAccess.ReadAsync(file.Handle, bytes.AsMemory(read), read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{path}' was cut short while it was read ({read} of {bytes.Length} bytes).");
            }

            read += n;
        }

        var identity = $"file:{full}#mtime:{file.ModifiedUtc.Ticks}:length:{file.Length}";
        return new FetchedImage(bytes, identity);
    }

    /// <summary>
    /// The real path of <paramref name="path"/> (every link resolved) under the real root; throws
    /// <c>source_not_allowed</c> when it leaves the root, <c>image_not_found</c> when a component under the root is missing.
    /// </summary>
    public string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = LocalPaths.RealPath(Path.GetFullPath(options.Value.ImageRoot));
        string full;
        try
        {
            if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("An image path is neither empty nor holds a NUL character.", nameof(path));
            }

            full = Path.GetFullPath(path, root);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"image.path '{path}' is not a valid path: {ex.Message}", ex);
        }

        var lexicalRoot = Path.GetFullPath(options.Value.ImageRoot);
        var pending = new Queue<string>(Components(Rebase(full, root, lexicalRoot) ?? throw Outside(path)));
        var current = root;
        var links = 0;
        while (pending.TryDequeue(out var part))
        {
            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"image.path '{path}' goes through more than {MaxLinks} links.");
                }

                // The rest of the path continues from where the link points; that place must be under the root.
                var joined = Path.GetFullPath(target, current);
                var rest = pending.ToArray();
                pending = new Queue<string>([.. Components(Rebase(joined, root, lexicalRoot) ?? throw Outside(path)), .. rest]);
                current = root;
                continue;
            }

            if (pending.Count > 0 ? !Directory.Exists(next) : !Path.Exists(next))
            {
                throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{path}' does not exist under IpIqa:Local:ImageRoot.");
            }

            current = next;
        }

        return current == root ? throw new IpIqaException(ErrorCodes.ImageNotAFile, $"image.path '{path}' is a directory, not a regular file.") : current;
    }

    /// <summary>One message for every way out of the root, so the answer says nothing of what lies outside.</summary>
    private static IpIqaException Outside(string path) =>
        new(ErrorCodes.SourceNotAllowed, $"image.path '{path}' is outside IpIqa:Local:ImageRoot.");

    /// <summary>The part of <paramref name="full"/> below the real root (or the root as configured, a link to it); null when outside both.</summary>
    private static string? Rebase(string full, string root, string lexicalRoot)
    {
        if (LocalPaths.IsUnderOrAt(full, root))
        {
            return Path.GetRelativePath(root, full);
        }

        return LocalPaths.IsUnderOrAt(full, lexicalRoot) ? Path.GetRelativePath(lexicalRoot, full) : null;
    }

    private static string[] Components(string relative) =>
        relative == "." ? [] : relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
}
