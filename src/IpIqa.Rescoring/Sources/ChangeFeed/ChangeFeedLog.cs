using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Avro.File;
using Avro.Generic;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace IpIqa.Rescoring;

/// <summary>
/// Reads the blob change feed as the service lays it out in <c>$blobchangefeed</c> (no SDK for it is
/// used): <c>meta/segments.json</c> gives <c>lastConsumable</c>, the end of what may be read;
/// each hourly segment's <c>idx/segments/YYYY/MM/DD/hhmm/meta.json</c> lists its shard folders
/// (<c>chunkFilePaths</c>, <c>$blobchangefeed/log/NN/YYYY/MM/DD/hhmm/</c>), and each shard holds
/// Avro container files (<c>00000.avro</c>, ...) of events: <c>eventType</c>, <c>subject</c>
/// (<c>/blobServices/default/containers/C/blobs/NAME</c>), <c>eventTime</c> and a <c>data</c> record
/// with the <c>etag</c>. Events are read with Apache.Avro, one chunk at a time from a temporary
/// file. Positions are (segment, shard, chunk, event) indexes into lists that do not change once a
/// segment is consumable, so a position saved in one process is the same event in the next.
/// </summary>
internal sealed class ChangeFeedLog(BlobContainerClient feed, RequestPacer pacer)
{
    private const string SegmentsIndex = "idx/segments/";

    /// <summary>One event at <see cref="Position"/>: the blob's container and name, the event type and the ETag it wrote (null when the event has none).</summary>
    public readonly record struct Event(ChangeFeedPosition Position, string Container, string Blob, string EventType, string? Etag);

    /// <summary><c>lastConsumable</c> of <c>meta/segments.json</c>: events of segments that begin before it may be read.</summary>
    public async Task<DateTimeOffset> LastConsumableAsync(CancellationToken cancellationToken)
    {
        using var document = await JsonAsync("meta/segments.json", cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("lastConsumable", out var last) && last.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(last.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new InvalidDataException($"Change feed {feed.Name}/meta/segments.json has no 'lastConsumable' time.");
    }

    /// <summary>The events of the segments that begin in [<paramref name="since"/>, <paramref name="end"/>), from <paramref name="from"/> on.</summary>
    public async IAsyncEnumerable<Event> EventsAsync(DateTimeOffset since, DateTimeOffset end, ChangeFeedPosition from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var segments = (await NamesAsync(SegmentsIndex, cancellationToken).ConfigureAwait(false))
            .Where(n => n.EndsWith("/meta.json", StringComparison.Ordinal))
            .Select(n => (Name: n, Begin: SegmentTime(n)))
            .Where(s => s.Begin >= since && s.Begin < end)
            .OrderBy(s => s.Begin)
            .ToList();
        for (var segment = from.Segment; segment < segments.Count; segment++)
        {
            var shards = await ShardsAsync(segments[segment].Name, cancellationToken).ConfigureAwait(false);
            for (var shard = segment == from.Segment ? from.Shard : 0; shard < shards.Count; shard++)
            {
                var chunks = (await NamesAsync(shards[shard], cancellationToken).ConfigureAwait(false)).Where(n => n.EndsWith(".avro", StringComparison.Ordinal)).ToList();
                var resume = segment == from.Segment && shard == from.Shard;
                for (var chunk = resume ? from.Chunk : 0; chunk < chunks.Count; chunk++)
                {
                    var skip = resume && chunk == from.Chunk ? from.Event : 0;
                    var position = new ChangeFeedPosition(segment, shard, chunk, 0);
                    foreach (var e in await ReadChunkAsync(chunks[chunk], position, skip, cancellationToken).ConfigureAwait(false))
                    {
                        yield return e;
                    }
                }
            }
        }
    }

    /// <summary>The events of one chunk after the first <paramref name="skip"/> (a chunk holds a few MB of events; they are decoded from a temporary file).</summary>
    private async Task<List<Event>> ReadChunkAsync(string chunk, ChangeFeedPosition position, long skip, CancellationToken cancellationToken)
    {
        var local = Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ipiqa-changefeed")).FullName, $"{Guid.NewGuid():N}.avro");
        await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await feed.GetBlobClient(chunk).DownloadToAsync(local, cancellationToken).ConfigureAwait(false);
            var events = new List<Event>();
            using var reader = DataFileReader<GenericRecord>.OpenReader(local);
            for (var index = 0L; reader.HasNext(); index++)
            {
                var record = reader.Next();
                if (index < skip)
                {
                    continue;
                }

                var where = $"change feed chunk {chunk} event {index + 1}";
                var subject = Text(record, "subject", where);
                var (container, blob) = Subject(subject, where);
                var etag = record.TryGetValue("data", out var data) && data is GenericRecord fields && fields.TryGetValue("etag", out var value) && value is string text ? text.Trim('"') : null;
                events.Add(new Event(position with { Event = index + 1 }, container, blob, Text(record, "eventType", where), etag));
            }

            return events;
        }
        catch (Exception e) when (e is Avro.AvroException or IOException or InvalidCastException or ArgumentException or IndexOutOfRangeException or OverflowException or EndOfStreamException)
        {
            throw new InvalidDataException($"Change feed chunk {feed.Name}/{chunk} is not a readable Avro file of events: {e.Message}", e);
        }
        finally
        {
            File.Delete(local);
        }
    }

    /// <summary>The shard folders a segment's <c>meta.json</c> lists, as blob-name prefixes in the feed container.</summary>
    private async Task<List<string>> ShardsAsync(string segment, CancellationToken cancellationToken)
    {
        using var meta = await JsonAsync(segment, cancellationToken).ConfigureAwait(false);
        if (!meta.RootElement.TryGetProperty("chunkFilePaths", out var paths) || paths.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Change feed segment {feed.Name}/{segment} has no 'chunkFilePaths' list.");
        }

        // Each path starts with the feed container's name ($blobchangefeed/log/00/...): the rest is the blob-name prefix.
        return [.. paths.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String && p.GetString()!.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash
            ? p.GetString()![(slash + 1)..]
            : throw new InvalidDataException($"Change feed segment {feed.Name}/{segment}: a chunk path is not CONTAINER/PATH."))];
    }

    private async Task<List<string>> NamesAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var page in feed.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).AsPages(pageSizeHint: 5000).ConfigureAwait(false))
            {
                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                names.AddRange(page.Values.Select(b => b.Name));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new InvalidDataException($"Change feed container '{feed.Name}' does not exist: is the change feed enabled on the account?", e);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private async Task<JsonDocument> JsonAsync(string name, CancellationToken cancellationToken)
    {
        await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await feed.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            if (content.Value.Details.ContentLength > 16 << 20)
            {
                throw new InvalidDataException($"Change feed {feed.Name}/{name} has {content.Value.Details.ContentLength} bytes, more than a change feed index holds.");
            }

            return JsonDocument.Parse(content.Value.Content.ToMemory());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new InvalidDataException($"Change feed {feed.Name}/{name} does not exist: is the change feed enabled on the account?", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Change feed {feed.Name}/{name} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The begin time of a segment from its path, <c>idx/segments/YYYY/MM/DD/hhmm/meta.json</c>.</summary>
    private DateTimeOffset SegmentTime(string name)
    {
        var path = name[SegmentsIndex.Length..^"/meta.json".Length];
        return DateTimeOffset.TryParseExact(path, "yyyy/MM/dd/HHmm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new InvalidDataException($"Change feed segment {feed.Name}/{name} is not at idx/segments/YYYY/MM/DD/hhmm/meta.json.");
    }

    private static (string Container, string Blob) Subject(string subject, string where)
    {
        const string containers = "/blobServices/default/containers/";
        var blobs = subject.IndexOf("/blobs/", StringComparison.Ordinal);
        return subject.StartsWith(containers, StringComparison.Ordinal) && blobs > containers.Length
            ? (subject[containers.Length..blobs], subject[(blobs + "/blobs/".Length)..])
            : throw new InvalidDataException($"{where}: subject '{subject}' is not /blobServices/default/containers/C/blobs/NAME.");
    }

    private static string Text(GenericRecord record, string field, string where) =>
        record.TryGetValue(field, out var value) && value is string text ? text : throw new InvalidDataException($"{where} has no string '{field}'.");
}
