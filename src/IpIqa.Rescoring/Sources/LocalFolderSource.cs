using System.Globalization;
using System.IO.Enumeration;
using IpIqa.Core.Jobs;
using IpIqa.Core.Imaging;

namespace IpIqa.Rescoring;

/// <summary>
/// A folder tree of images, each with its prompt in a same-named <c>.txt</c> sidecar beside it. The
/// key of an image is its path relative to the folder, with <c>/</c> separators (<c>a/b.png</c>).
/// Images are listed in the ordinal order of their keys, one folder at a time (a folder's entries
/// are read and sorted when the walk reaches it, so memory grows with the largest folder and the
/// depth, never with the tree); the continuation token is the last key of the previous page, and a
/// listing from a token skips every folder whose keys all come before it. A file link is read as
/// its target (<see cref="ImageFiles"/>); a link to a folder is not followed, so the walk stays in
/// the tree and cannot loop.
/// </summary>
public sealed class LocalFolderSource : IRescoreSource
{
    private const string SidecarExtension = ".txt";
    private readonly string _folder;

    public LocalFolderSource(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Source folder '{folder}' does not exist.");
        }

        _folder = Path.GetFullPath(folder);
    }

    public string Description => $"folder:{_folder}";

    public IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return Pages(continuationToken, pageSize, cancellationToken).ToAsyncEnumerable(); // local reads: a page is listed in one synchronous step
    }

    public async Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await ImageFiles.ReadAsync(item.LocalPath ?? Path.Combine(_folder, item.Key), item.Key, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    private IEnumerable<RescorePage> Pages(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var images = Images(_folder, "", continuationToken, cancellationToken).GetEnumerator();
        var more = images.MoveNext();
        while (more)
        {
            var items = new List<RescoreItem>(pageSize);
            while (more && items.Count < pageSize)
            {
                items.Add(Item(images.Current.Key, images.Current.Entry));
                more = images.MoveNext();
            }

            yield return new RescorePage(items, more ? items[^1].Key : null);
        }
    }

    /// <summary>
    /// The images under <paramref name="directory"/> (whose keys start with <paramref name="prefix"/>)
    /// after <paramref name="after"/>, in ordinal key order: a folder sorts as its name plus <c>/</c>, so
    /// walking the sorted entries depth first gives the ordinal order of the whole keys.
    /// </summary>
    private static IEnumerable<(string Key, Entry Entry)> Images(string directory, string prefix, string? after, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var entry in ReadFolder(directory))
        {
            var key = prefix + entry.Name;
            if (entry.Kind != EntryKind.Folder)
            {
                if (after is null || string.CompareOrdinal(key, after) > 0)
                {
                    yield return (key, entry);
                }

                continue;
            }

            // Every key in this folder starts with key (which ends in '/'): it is wholly before the token unless the token lies inside it.
            var inside = after is not null && after.StartsWith(key, StringComparison.Ordinal);
            if (after is not null && !inside && string.CompareOrdinal(key, after) < 0)
            {
                continue;
            }

            foreach (var child in Images(Path.Combine(directory, entry.Name[..^1]), key, inside ? after : null, cancellationToken))
            {
                yield return child;
            }
        }
    }

    /// <summary>
    /// The images and the folders (name plus <c>/</c>; links to folders left out) of <paramref name="directory"/>
    /// in ordinal order, from one pass over its entries (#19): an image's length and write time are those
    /// of the enumeration's own stat, and whether it has a prompt sidecar is looked up among the
    /// <c>.txt</c> names of the same pass, so listing an image costs no second stat.
    /// </summary>
    private static Entry[] ReadFolder(string directory)
    {
        var all = new FileSystemEnumerable<Entry>(directory, (ref FileSystemEntry entry) => ToEntry(ref entry), new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => entry.IsDirectory
                ? (entry.Attributes & FileAttributes.ReparsePoint) == 0
                : entry.FileName.EndsWith(SidecarExtension, StringComparison.Ordinal) || ImageFileExtensions.IsImage(entry.FileName.ToString()),
        }.ToList();
        var sidecars = all.Where(e => e.Kind is EntryKind.Sidecar or EntryKind.SidecarLink).ToArray();
        var sidecarNames = Array.ConvertAll(sidecars, e => e.Name);
        Array.Sort(sidecarNames, sidecars, StringComparer.Ordinal);
        var listed = all.Where(e => e.Kind is not (EntryKind.Sidecar or EntryKind.SidecarLink))
            .Select(e => e.Kind == EntryKind.Folder ? e : WithSidecar(e, sidecarNames, sidecars))
            .ToArray();
        Array.Sort(listed, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return listed;
    }

    private static Entry ToEntry(ref FileSystemEntry entry)
    {
        if (entry.IsDirectory)
        {
            return new Entry(string.Concat(entry.FileName, "/"), EntryKind.Folder, 0, 0);
        }

        var name = entry.FileName.ToString();
        var link = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
        if (!ImageFileExtensions.IsImage(name))
        {
            // A sidecar's length and write time are its prompt's version (#19); a link's target may change unseen, so it has none.
            return link ? new Entry(name, EntryKind.SidecarLink, 0, 0) : new Entry(name, EntryKind.Sidecar, entry.Length, entry.LastWriteTimeUtc.UtcTicks);
        }

        // A link is sized by its final target when it is listed; a plain file by the stat the enumeration made.
        return link
            ? new Entry(name, EntryKind.ImageLink, 0, 0)
            : new Entry(name, EntryKind.Image, entry.Length, entry.LastWriteTimeUtc.UtcTicks);
    }

    /// <summary>The image <paramref name="image"/> with its sidecar found among a folder's sorted sidecars, and that sidecar's version.</summary>
    private static Entry WithSidecar(Entry image, string[] sortedNames, Entry[] sidecars)
    {
        var found = Array.BinarySearch(sortedNames, Path.ChangeExtension(image.Name, SidecarExtension), StringComparer.Ordinal);
        if (found < 0)
        {
            return image;
        }

        var sidecar = sidecars[found];
        return image with { HasPrompt = true, PromptVersion = sidecar.Kind == EntryKind.Sidecar ? Version(sidecar.Length, sidecar.WriteTicks) : null };
    }

    private RescoreItem Item(string key, Entry entry)
    {
        var path = Path.Combine(_folder, key);
        var (length, ticks) = (entry.Length, entry.WriteTicks);
        if (entry.Kind == EntryKind.ImageLink)
        {
            var target = ImageFiles.Target(path);
            (length, ticks) = (target.Length, target.LastWriteTimeUtc.Ticks);
        }

        // The sidecar is read only when the prompt is asked for: not when its version matches the previous run's (#19).
        var version = Version(length, ticks);
        return new RescoreItem(key, path, length, version, null)
        {
            LocalPath = path,
            PromptFile = entry.HasPrompt ? Path.ChangeExtension(path, SidecarExtension) : null,
            PromptVersion = entry.PromptVersion,
        };
    }

    private static string Version(long length, long ticks) => string.Create(CultureInfo.InvariantCulture, $"{length}-{ticks}");

    private enum EntryKind
    {
        Folder,
        Image,
        ImageLink,
        Sidecar,
        SidecarLink,
    }

    /// <summary>
    /// One entry of a folder: a subfolder (its name ends in <c>/</c>), an image (with its length and write time, or a link to resolve,
    /// and its sidecar), or a prompt sidecar (with its length and write time, or a link).
    /// </summary>
    private readonly record struct Entry(string Name, EntryKind Kind, long Length, long WriteTicks)
    {
        public bool HasPrompt { get; init; }

        public string? PromptVersion { get; init; }
    }
}
