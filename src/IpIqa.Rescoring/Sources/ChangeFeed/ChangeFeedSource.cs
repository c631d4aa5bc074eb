using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;

namespace IpIqa.Rescoring;

/// <summary>
/// The images of a blob container (optionally under a prefix) created or changed since the last
/// run, from the account's blob change feed (<see cref="ChangeFeedLog"/>): the run reads the
/// segments that begin between <see cref="Since"/> (the previous run's cursor, kept in its
/// <c>run.json</c> and so in the run store; none: the start of the retained feed) and the feed's
/// <c>lastConsumable</c> when the run started, which becomes this run's cursor (<see cref="End"/>).
/// <c>BlobCreated</c> and <c>BlobPropertiesUpdated</c> events of the gallery are kept; each is
/// checked against the blob as it is now (one Get Blob Properties, which also gives the prompt in
/// the metadata): an event whose ETag is no longer the blob's is passed over, so a blob changed twice
/// is listed once, at its current version (one changed again after the window is listed at that
/// version now). Any event of a blob that is gone lists the key as
/// <see cref="RescoreItem.Deleted"/>, which drops it from an incremental run's results; a blob deleted
/// and created again is listed by its later event, or now when that event is after the window. The continuation
/// token is <c>cf1:SINCE:END:SEGMENT:SHARD:CHUNK:EVENT</c>.
/// </summary>
public sealed class ChangeFeedSource(BlobContainerClient gallery, string? prefix, string promptKey, BlobContainerClient feed, RequestPacer pacer) : IRescoreSource
{
    private const string TokenTag = "cf1";
    private const string BlobDeleted = "BlobDeleted";
    private static readonly string[] Kept = ["BlobCreated", "BlobPropertiesUpdated", BlobDeleted];

    /// <summary>
    /// How far before the window's end a blob's Last-Modified may fall and still have its event in a
    /// later segment (an event's time and the blob's Last-Modified are not one clock reading): such a
    /// version is listed now rather than left to a later run, at worst scoring it twice (#19).
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(15);
    private readonly BlobRescoreSource _blobs = new(gallery, prefix, promptKey, pacer);
    private readonly ChangeFeedLog _log = new(feed, pacer);

    public string Description => $"changefeed:{gallery.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{prefix}";

    /// <summary>The cursor to read from: the previous run's <see cref="End"/> (null: the start of the feed).</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>
    /// Set for a run with no cursor to read on from (the first, or one after a compaction): the run
    /// lists the whole container instead, and its cursor is an hour before it started, so the
    /// segment then in progress is read again next time (reading a change twice is harmless).
    /// </summary>
    public DateTimeOffset? ListAllStartedAt { get; set; }

    /// <summary>Where this run's reading ends, the next run's <see cref="Since"/> (set by the first listing).</summary>
    public DateTimeOffset? End { get; private set; }

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        if (ListAllStartedAt is { } started)
        {
            End = started.AddHours(-1);
            await foreach (var page in _blobs.ListAsync(continuationToken, pageSize, cancellationToken).ConfigureAwait(false))
            {
                yield return page;
            }

            yield break;
        }

        var (since, end, from) = continuationToken is null
            ? (Since ?? DateTimeOffset.MinValue, await _log.LastConsumableAsync(cancellationToken).ConfigureAwait(false), default)
            : ParseToken(continuationToken);
        End = end;
        var items = new List<RescoreItem>(pageSize);
        RescorePage? full = null; // a full page, yielded once the next item shows it is not the last
        await foreach (var change in _log.EventsAsync(since, end, from, cancellationToken).ConfigureAwait(false))
        {
            if (change.Container != gallery.Name || !change.Blob.StartsWith(prefix ?? "", StringComparison.Ordinal) || !Kept.Contains(change.EventType, StringComparer.Ordinal))
            {
                continue;
            }

            if (await CurrentAsync(change, end, cancellationToken).ConfigureAwait(false) is not { } item)
            {
                continue;
            }

            if (full is not null)
            {
                yield return full;
                full = null;
            }

            items.Add(item);
            if (items.Count == pageSize)
            {
                full = new RescorePage(items, Token(since, end, change.Position));
                items = new List<RescoreItem>(pageSize);
            }
        }

        if (full is not null || items.Count > 0)
        {
            yield return new RescorePage(full?.Items ?? items, null);
        }
    }

    public Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken) => _blobs.ReadAsync(item, maxBytes, cancellationToken);

    /// <summary>
    /// What <paramref name="change"/> means for the run, from the blob as it is now (#19). The blob as
    /// the event left it: listed. Changed again since, or deleted and created again: listed at its
    /// current version only when that version was written at or after <see cref="Overlap"/> before the
    /// window's end, since a later event of this window lists it otherwise; a version written after the
    /// window has its event in a later run, which then finds it unchanged. Gone: a deletion, whatever
    /// the event (a blob changed in the window and deleted after it is dropped now, not a night later;
    /// the runner journals a deletion only for an image the base run holds). Null: passed over.
    /// </summary>
    private async Task<RescoreItem?> CurrentAsync(ChangeFeedLog.Event change, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var blob = gallery.GetBlobClient(change.Blob);
        await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var etag = properties.ETag.ToString().Trim('"');
            var asTheEventLeftIt = change.EventType != BlobDeleted && (change.Etag is null || change.Etag == etag);
            return asTheEventLeftIt || properties.LastModified >= end - Overlap
                ? new RescoreItem(change.Blob, blob.Uri.AbsoluteUri, properties.ContentLength, etag, Core.Contracts.PromptMetadata.Find(properties.Metadata, promptKey))
                : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new RescoreItem(change.Blob, blob.Uri.AbsoluteUri, 0, "", null) { Deleted = true };
        }
    }

    private static string Token(DateTimeOffset since, DateTimeOffset end, ChangeFeedPosition at) =>
        string.Create(CultureInfo.InvariantCulture, $"{TokenTag}:{since.UtcTicks}:{end.UtcTicks}:{at.Segment}:{at.Shard}:{at.Chunk}:{at.Event}");

    private static (DateTimeOffset Since, DateTimeOffset End, ChangeFeedPosition From) ParseToken(string token)
    {
        var parts = token.Split(':');
        long Number(int i) => long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        if (parts.Length != 7 || parts[0] != TokenTag || Enumerable.Range(1, 6).Any(i => Number(i) < 0)
            || Number(1) > DateTime.MaxValue.Ticks || Number(2) > DateTime.MaxValue.Ticks || Enumerable.Range(3, 3).Any(i => Number(i) > int.MaxValue))
        {
            throw new InvalidDataException($"Continuation token '{token}' is not a change feed position ({TokenTag}:SINCE:END:SEGMENT:SHARD:CHUNK:EVENT); this run was listed by another source.");
        }

        return (new DateTimeOffset(Number(1), TimeSpan.Zero), new DateTimeOffset(Number(2), TimeSpan.Zero), new ChangeFeedPosition((int)Number(3), (int)Number(4), (int)Number(5), Number(6)));
    }
}
