using System.Globalization;
using System.Runtime.CompilerServices;
using IpIqa.Core.Jobs;
using IpIqa.Core.Errors;

namespace IpIqa.Rescoring;

/// <summary>
/// A JSONL, CSV or Parquet manifest of (image, prompt) as a gallery, read with the same rules as
/// <c>ipiqa score</c>. The key is the image as written (<c>#N</c> for the N-th entry when it has
/// none); the continuation token is the index of the next entry. The manifest is read on the first
/// listing and kept; listings are not concurrent.
/// </summary>
internal sealed class ManifestSource(string manifest) : IRescoreSource
{
    private IReadOnlyList<ScoreInput>? _inputs;

    public string Description => $"manifest:{Path.GetFullPath(manifest)}";

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var inputs = _inputs ??= await ScoreInputReader.ReadAsync(manifest, cancellationToken).ConfigureAwait(false);
        var start = continuationToken is null ? 0 : int.Parse(continuationToken, CultureInfo.InvariantCulture);
        for (; start < inputs.Count; start += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + pageSize, inputs.Count);
            var items = new List<RescoreItem>(end - start);
            for (var i = start; i < end; i++)
            {
                items.Add(ToItem(inputs[i], i));
            }

            yield return new RescorePage(items, end < inputs.Count ? end.ToString(CultureInfo.InvariantCulture) : null);
        }
    }

    public async Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await ImageFiles.ReadAsync(item.Location, item.Key, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    private static RescoreItem ToItem(ScoreInput input, int index)
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
