using IpIqa.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// Writes <see cref="ScoreTags"/> on a scored image's blob (images given by <c>uri</c> only; error
/// results and local paths are skipped). Idempotent: the same result writes the same tags.
/// </summary>
public sealed class BlobTagsSink(BlobClientResolver resolver, ILogger<BlobTagsSink> logger) : IResultSink
{
    public string Name => "blob-tags";

    public int Order => 10;

    public async Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Result.IsError || record.Result.Image?.Uri is not { } uri)
        {
            return;
        }

        var (blob, location) = resolver.Resolve(uri);
        var existing = (await blob.GetTagsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Tags;
        var merged = ScoreTags.Merge(existing, ScoreTags.For(record.Result), out var dropped);
        if (dropped.Count > 0)
        {
            BlobLog.TagsDropped(logger, location.CanonicalUri, string.Join(',', dropped), ScoreTags.MaxTags);
        }

        await blob.SetTagsAsync(merged, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
