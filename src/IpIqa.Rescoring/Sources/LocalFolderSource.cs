using System.Globalization;
using System.Runtime.CompilerServices;
using IpIqa.Core.Jobs;
using IpIqa.Core.Imaging;

namespace IpIqa.Rescoring;

/// <summary>
/// A folder of images, each with its prompt in a same-named <c>.txt</c> sidecar. Listed in
/// ordinal name order; the continuation token is the last name of the previous page.
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
        var names = Directory.EnumerateFiles(_folder)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(ImageFileExtensions.IsImage)
            .Where(n => continuationToken is null || string.CompareOrdinal(n, continuationToken) > 0)
            .Order(StringComparer.Ordinal)
            .ToArray();
        for (var start = 0; start < names.Length; start += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = names.AsSpan(start, Math.Min(pageSize, names.Length - start)).ToArray();
            var items = new List<RescoreItem>(page.Length);
            foreach (var name in page)
            {
                items.Add(await ItemAsync(name, cancellationToken).ConfigureAwait(false));
            }

            yield return new RescorePage(items, start + pageSize < names.Length ? page[^1] : null);
        }
    }

    public async Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await ImageFiles.ReadAsync(Path.Combine(_folder, item.Key), item.Key, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RescoreItem> ItemAsync(string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, name);
        var info = ImageFiles.Target(path);
        var promptPath = Path.ChangeExtension(path, ".txt");
        string? prompt = null;
        if (File.Exists(promptPath))
        {
            prompt = (await File.ReadAllTextAsync(promptPath, cancellationToken).ConfigureAwait(false)).Trim();
            prompt = prompt.Length == 0 ? null : prompt;
        }

        var version = string.Create(CultureInfo.InvariantCulture, $"{info.Length}-{info.LastWriteTimeUtc.Ticks}");
        return new RescoreItem(name, path, info.Length, version, prompt) { LocalPath = path };
    }
}
