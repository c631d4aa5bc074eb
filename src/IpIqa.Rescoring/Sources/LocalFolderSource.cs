using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
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

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        using var keys = Keys(_folder, "", continuationToken, cancellationToken).GetEnumerator();
        var more = keys.MoveNext();
        while (more)
        {
            var items = new List<RescoreItem>(pageSize);
            while (more && items.Count < pageSize)
            {
                items.Add(await ItemAsync(keys.Current, cancellationToken).ConfigureAwait(false));
                more = keys.MoveNext();
            }

            yield return new RescorePage(items, more ? items[^1].Key : null);
        }
    }

    public async Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await ImageFiles.ReadAsync(item.LocalPath ?? Path.Combine(_folder, item.Key), item.Key, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The image keys under <paramref name="directory"/> (whose keys start with <paramref name="prefix"/>)
    /// after <paramref name="after"/>, in ordinal order: a folder sorts as its name plus <c>/</c>, so
    /// walking the sorted entries depth first gives the ordinal order of the whole keys.
    /// </summary>
    private static IEnumerable<string> Keys(string directory, string prefix, string? after, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var entry in SortedEntries(directory))
        {
            var key = prefix + entry;
            if (!entry.EndsWith('/'))
            {
                if (after is null || string.CompareOrdinal(key, after) > 0)
                {
                    yield return key;
                }

                continue;
            }

            // Every key in this folder starts with key (which ends in '/'): it is wholly before the token unless the token lies inside it.
            var inside = after is not null && after.StartsWith(key, StringComparison.Ordinal);
            if (after is not null && !inside && string.CompareOrdinal(key, after) < 0)
            {
                continue;
            }

            foreach (var child in Keys(Path.Combine(directory, entry[..^1]), key, inside ? after : null, cancellationToken))
            {
                yield return child;
            }
        }
    }

    /// <summary>The image names and the folder names plus <c>/</c> (links to folders left out) of <paramref name="directory"/>, in ordinal order.</summary>
    private static string[] SortedEntries(string directory)
    {
        var entries = new FileSystemEnumerable<string>(
            directory,
            (ref FileSystemEntry entry) => entry.IsDirectory ? string.Concat(entry.FileName, "/") : entry.FileName.ToString(),
            new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => entry.IsDirectory
                ? (entry.Attributes & FileAttributes.ReparsePoint) == 0
                : ImageFileExtensions.IsImage(entry.FileName.ToString()),
        }.ToArray();
        Array.Sort(entries, StringComparer.Ordinal);
        return entries;
    }

    private async Task<RescoreItem> ItemAsync(string key, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, key);
        var info = ImageFiles.Target(path);
        var promptPath = Path.ChangeExtension(path, ".txt");
        string? prompt = null;
        if (File.Exists(promptPath))
        {
            prompt = (await File.ReadAllTextAsync(promptPath, cancellationToken).ConfigureAwait(false)).Trim();
            prompt = prompt.Length == 0 ? null : prompt;
        }

        var version = string.Create(CultureInfo.InvariantCulture, $"{info.Length}-{info.LastWriteTimeUtc.Ticks}");
        return new RescoreItem(key, path, info.Length, version, prompt) { LocalPath = path };
    }
}
