using System.Globalization;
using System.Runtime.CompilerServices;
using IpIqa.Core.Jobs;
using IpIqa.Core.Errors;

namespace IpIqa.Rescoring;

/// <summary>
/// A JSONL, CSV or Parquet manifest of (image, prompt) as a gallery, read with the same rules as
/// <c>ipiqa score</c>. The key is the image as written (<c>#N</c> for the N-th entry when it has
/// none); the continuation token is the index of the next entry. Each listing streams the manifest
/// (<see cref="ScoreInputReader.StreamAsync"/>), holding one page at a time; a listing from a token
/// reads past the entries before it.
/// </summary>
internal sealed class ManifestSource(string manifest) : IRescoreSource
{
    public string Description => $"manifest:{Path.GetFullPath(manifest)}";

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var start = continuationToken is null ? 0 : long.Parse(continuationToken, CultureInfo.InvariantCulture);
        var index = 0L;
        var items = new List<RescoreItem>(pageSize);
        List<RescoreItem>? full = null; // a full page, yielded once the next entry shows it is not the last
        await foreach (var input in ScoreInputReader.StreamAsync(manifest, cancellationToken).ConfigureAwait(false))
        {
            if (index < start)
            {
                index++;
                continue;
            }

            if (full is not null)
            {
                yield return new RescorePage(full, index.ToString(CultureInfo.InvariantCulture));
                full = null;
            }

            items.Add(ToItem(input, index++));
            if (items.Count == pageSize)
            {
                (full, items) = (items, new List<RescoreItem>(pageSize));
            }
        }

        if (full is not null || items.Count > 0)
        {
            yield return new RescorePage(full ?? items, null);
        }
    }

    public async Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await ImageFiles.ReadAsync(item.Location, item.Key, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    private static RescoreItem ToItem(ScoreInput input, long index)
    {
        var key = input.Image.Length > 0 ? input.Image : $"#{index + 1}";
        var info = input.ImagePath.Length > 0 ? ImageFiles.Target(input.ImagePath) : null;
        var exists = info?.Exists == true;
        var version = exists ? string.Create(CultureInfo.InvariantCulture, $"{info!.Length}-{info.LastWriteTimeUtc.Ticks}") : "";
        return new RescoreItem(key, input.ImagePath, exists ? info!.Length : 0, version, input.Prompt)
        {
            LocalPath = input.ImagePath.Length > 0 ? input.ImagePath : null,
            ProblemCode = input.ProblemCode,
            Problem = input.Problem,
        };
    }
}
