using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace IpIqa.Rescoring;

/// <summary>
/// A blob container (optionally under a prefix) listed in parallel per prefix, for galleries with
/// neither an inventory nor a change feed. One listing with the delimiter <c>/</c> finds the
/// gallery's first-level prefixes (<c>2026/</c>, <c>cats/</c>) and the blobs beside them; up to
/// <c>concurrency</c> prefixes are then listed at once, each flat, in pages of
/// <see cref="ServicePageSize"/> items, each buffering at most <see cref="BufferedPages"/> pages,
/// and their blobs are emitted prefix after prefix, so the whole listing is in the ordinal order of
/// the names, as the single lister gives it (a name under <c>p/</c> sorts after every name below
/// <c>p/</c> and before every name above it). Items are <see cref="BlobRescoreSource"/>'s.
/// The continuation token is <c>p1:LENGTH:MARKER</c> then the last key: the service marker of the
/// page that held the last key of the run's page (empty at a prefix's start), so a resumed listing
/// skips the prefixes wholly before that key and lists the one holding it from that page on.
/// With a concurrency of 1, or beside more than <see cref="ServicePageSize"/> blobs at the first
/// level (a flat container: one prefix, nothing to share out), it lists as <see cref="BlobRescoreSource"/> does.
/// </summary>
public sealed class ParallelBlobRescoreSource(BlobContainerClient container, string? prefix, string promptKey, RequestPacer pacer, int concurrency) : IRescoreSource
{
    /// <summary>Items per List Blobs request: the service's largest page.</summary>
    public const int ServicePageSize = 5000;

    /// <summary>Pages a prefix lister may hold before the emitter reaches it.</summary>
    public const int BufferedPages = 2;

    private const string TokenTag = "p1:";
    private readonly BlobRescoreSource _single = new(container, prefix, promptKey, pacer);

    public string Description => _single.Description;

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var (marker, after) = continuationToken is null ? ("", null) : ParseToken(continuationToken);
        var parallel = after is not null || (continuationToken is null && concurrency > 1);
        var segments = parallel ? await DiscoverAsync(cancellationToken).ConfigureAwait(false) : null;
        if (segments is null && after is not null)
        {
            throw new InvalidDataException($"The gallery {Description} no longer has the prefixes this run was listed by; start a new run (remove its folder or pass --resume with another run).");
        }

        if (segments is null)
        {
            // A token of the single lister, a flat container, or no parallelism asked: list as the single lister does.
            await foreach (var page in _single.ListAsync(continuationToken, pageSize, cancellationToken).ConfigureAwait(false))
            {
                yield return page;
            }

            yield break;
        }

        // Prefixes wholly before the token's key are done; the one holding it resumes from its page's marker.
        segments = [.. segments.Where(s => after is null || !s.IsPrefix || after.StartsWith(s.Name, StringComparison.Ordinal) || string.CompareOrdinal(s.Name, after) > 0)];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listers = new Task?[segments.Count];
        var channels = new Channel<(BlobItem[] Items, string Marker)>?[segments.Count];
        void Start(int i)
        {
            if (i < segments.Count && segments[i].IsPrefix)
            {
                channels[i] = Channel.CreateBounded<(BlobItem[], string)>(BufferedPages);
                var from = after is not null && after.StartsWith(segments[i].Name, StringComparison.Ordinal) ? marker : "";
                listers[i] = ListPrefixAsync(segments[i].Name, from, channels[i]!.Writer, stop.Token);
            }
        }

        for (var i = 0; i < Math.Max(concurrency, 1); i++)
        {
            Start(i);
        }

        var items = new List<RescoreItem>(pageSize);
        RescorePage? full = null; // a full page, yielded once the next item shows it is not the last
        try
        {
            for (var i = 0; i < segments.Count; i++)
            {
                var pages = segments[i].IsPrefix ? channels[i]!.Reader.ReadAllAsync(stop.Token) : OnePage(segments[i].Blobs!);
                await foreach (var (blobs, pageMarker) in pages.ConfigureAwait(false))
                {
                    foreach (var blob in blobs)
                    {
                        if (blob.Deleted is true || (after is not null && string.CompareOrdinal(blob.Name, after) <= 0))
                        {
                            continue;
                        }

                        if (full is not null)
                        {
                            yield return full;
                            full = null;
                        }

                        items.Add(_single.ToItem(blob));
                        if (items.Count == pageSize)
                        {
                            full = new RescorePage(items, Token(segments[i].IsPrefix ? pageMarker : "", blob.Name));
                            items = new List<RescoreItem>(pageSize);
                        }
                    }
                }

                Start(i + Math.Max(concurrency, 1));
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(listers.OfType<Task>()).ConfigureAwait(false); // each ends by completing its channel, never by throwing
        }

        if (full is not null || items.Count > 0)
        {
            yield return new RescorePage(full?.Items ?? items, null);
        }
    }

    public Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken) => _single.ReadAsync(item, maxBytes, cancellationToken);

    /// <summary>
    /// The first-level prefixes and the runs of blobs between them, in name order; null for a flat
    /// gallery (more than <see cref="ServicePageSize"/> blobs beside the prefixes, or fewer than two prefixes).
    /// </summary>
    private async Task<List<Segment>?> DiscoverAsync(CancellationToken cancellationToken)
    {
        var prefixes = new List<string>();
        var loose = new List<BlobItem>();
        var pages = container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Traits = BlobTraits.Metadata, Prefix = prefix, Delimiter = "/" }, cancellationToken)
            .AsPages(pageSizeHint: ServicePageSize);
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                break;
            }

            foreach (var entry in enumerator.Current.Values)
            {
                if (entry.IsPrefix)
                {
                    prefixes.Add(entry.Prefix);
                }
                else if (loose.Count == ServicePageSize)
                {
                    return null;
                }
                else
                {
                    loose.Add(entry.Blob);
                }
            }
        }

        if (prefixes.Count < 2)
        {
            return null;
        }

        // A page may hold the prefixes apart from the blobs: merge them in name order, the blobs between two prefixes in one run.
        prefixes.Sort(StringComparer.Ordinal);
        loose.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var segments = new List<Segment>(prefixes.Count + 1);
        var next = 0;
        foreach (var name in prefixes.Append(null))
        {
            var run = new List<BlobItem>();
            while (next < loose.Count && (name is null || string.CompareOrdinal(loose[next].Name, name) < 0))
            {
                run.Add(loose[next++]);
            }

            if (run.Count > 0)
            {
                segments.Add(new Segment(run[0].Name, run));
            }

            if (name is not null)
            {
                segments.Add(new Segment(name, null));
            }
        }

        return segments;
    }

    private async Task ListPrefixAsync(string segment, string marker, ChannelWriter<(BlobItem[] Items, string Marker)> writer, CancellationToken cancellationToken)
    {
        try
        {
            var pages = container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = segment }, cancellationToken)
                .AsPages(marker.Length == 0 ? null : marker, ServicePageSize);
            await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
            var current = marker;
            while (true)
            {
                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                await writer.WriteAsync(([.. enumerator.Current.Values], current), cancellationToken).ConfigureAwait(false);
                current = enumerator.Current.ContinuationToken ?? "";
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
        }
    }

    private static async IAsyncEnumerable<(BlobItem[] Items, string Marker)> OnePage(List<BlobItem> blobs)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return ([.. blobs], "");
    }

    private static string Token(string marker, string lastKey) => string.Create(CultureInfo.InvariantCulture, $"{TokenTag}{marker.Length}:{marker}{lastKey}");

    /// <summary>The marker and last key of a token of this lister; a token of the single lister is (token, null).</summary>
    private static (string Marker, string? After) ParseToken(string token)
    {
        if (!token.StartsWith(TokenTag, StringComparison.Ordinal))
        {
            return (token, null);
        }

        var colon = token.IndexOf(':', TokenTag.Length);
        return colon > 0 && int.TryParse(token.AsSpan(TokenTag.Length, colon - TokenTag.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            && length <= token.Length - colon - 2
            ? (token.Substring(colon + 1, length), token[(colon + 1 + length)..])
            : throw new InvalidDataException($"Continuation token '{token}' is not a listing position of this source.");
    }

    /// <summary>A first-level prefix (<see cref="Blobs"/> null) or a run of blobs beside the prefixes, named by its first name.</summary>
    private sealed record Segment(string Name, List<BlobItem>? Blobs)
    {
        public bool IsPrefix => Blobs is null;
    }
}
