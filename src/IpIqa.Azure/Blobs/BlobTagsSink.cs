using Azure;
using IpIqa.Core.Jobs;
using IpIqa.Core.Logging;
using Microsoft.Extensions.Logging;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// Writes <see cref="ScoreTags"/> on the image's blob: scores for a scored result, the error code
/// for an image that is itself bad (images given by <c>uri</c> only; other errors and local paths
/// are skipped). Idempotent: the same result writes the same tags.
/// </summary>
public sealed class BlobTagsSink(BlobClientResolver resolver, ILogger<BlobTagsSink> logger) : IResultSink
{
    public string Name => "blob-tags";

    public int Order => 10;

    public async Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Result.Image?.Uri is not { } uri)
        {
            return;
        }

        var ours = ScoreTags.For(record.Result);
        if (ours.Count == 0)
        {
            return;
        }

        var (blob, location) = resolver.Resolve(uri);
        var existing = (await blob.GetTagsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Tags;
        var merged = ScoreTags.Merge(existing, ours, out var dropped);
        if (dropped.Count > 0)
        {
            BlobLog.TagsDropped(logger, LogText.Escape(location.CanonicalUri)!, string.Join(',', dropped), ScoreTags.MaxTags);
        }

        try
        {
            await blob.SetTagsAsync(merged, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (PermanentFailures.IsPermanent(ex))
        {
            throw PermanentFailures.Refused($"The tags of blob '{location.CanonicalUri}'", ex);
        }
    }
}
