using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// The append-only journal of a run (<c>journal.jsonl</c>): one JSON line per finished item. Lines
/// are written as items finish and forced to disk every <see cref="SyncEvery"/> lines or
/// <see cref="SyncInterval"/>, and at every page checkpoint. On open, a torn last line (a killed
/// process) is cut off, so what remains is exactly the items that finished. What the journal held
/// when it was opened is looked up in a <see cref="RecordIndex"/> on disk, not held (#19).
/// A delta run (<see cref="RunState.BaseRunId"/>) also writes one "seen" line per page,
/// <c>{"seen":"0-499,612-700"}</c>: the positions, in its base run's key order, of the base records
/// that the page listed unchanged (ranges, both ends included). Readers of records skip these lines.
/// </summary>
public sealed class RunJournal : IDisposable
{
    public const int SyncEvery = 256;
    public static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(2);

    /// <summary>The longest line a journal may hold (64 MiB); a record is a few hundred bytes.</summary>
    public const int MaxLineBytes = 64 * 1024 * 1024;

    private const int ReadBlockBytes = 64 * 1024;

    private static ReadOnlySpan<byte> SeenPrefix => "{\"seen\":\""u8;

    private readonly FileStream _stream;
    private readonly RecordIndex _opened;
    private int _unsynced;
    private long _lastSync = Stopwatch.GetTimestamp();

    private RunJournal(FileStream stream, RecordIndex opened)
    {
        _stream = stream;
        _opened = opened;
    }

    /// <summary>How many distinct keys the journal held when it was opened (a resumed run's finished items).</summary>
    public long OpenedCount => _opened.Count;

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/>: cuts off a torn last line, then
    /// sorts what it holds into a <see cref="RecordIndex"/> in <paramref name="workFolder"/> (null: the journal's folder).
    /// </summary>
    public static RunJournal Open(string path, string? workFolder = null)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var good = Load(stream, static _ => { }, path, null);
            stream.SetLength(good);
            stream.Flush(flushToDisk: true);
            var opened = RecordIndex.Create(path, workFolder ?? Path.GetDirectoryName(Path.GetFullPath(path))!);
            stream.Seek(good, SeekOrigin.Begin);
            return new RunJournal(stream, opened);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads the records of a finished journal without opening it for writing.</summary>
    public static IReadOnlyDictionary<string, RescoreRecord> Read(string path)
    {
        var records = new Dictionary<string, RescoreRecord>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Load(stream, r => records[r.Key] = r, path, null);
        }

        return records;
    }

    /// <summary>
    /// Hands each record of the journal at <paramref name="path"/> to <paramref name="each"/>, in the
    /// order of its lines, holding one line at a time (a key journalled twice comes twice; the later
    /// line is the one that counts). A missing journal has no records.
    /// </summary>
    public static void ForEach(string path, Action<RescoreRecord> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        if (File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Load(stream, each, path, null);
        }
    }

    /// <summary>
    /// Hands each range of base positions of the "seen" lines of the journal at <paramref name="path"/>
    /// to <paramref name="each"/> (first, last), in the order of the lines. A missing journal has none.
    /// </summary>
    public static void ForEachSeen(string path, Action<long, long> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        if (File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Load(stream, null, path, each);
        }
    }

    /// <summary>
    /// True when <paramref name="key"/> was journalled before the journal was opened (a merge-join when
    /// keys come in rising order). A key appended since is not looked up: a source lists each key once.
    /// </summary>
    public bool ContainsOpened(string key) => _opened.TryGet(key, out _);

    public void Append(RescoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = JsonSerializer.SerializeToUtf8Bytes(record, RescoreJsonContext.Default.RescoreRecord);
        _stream.Write(line);
        _stream.WriteByte((byte)'\n');
        if (++_unsynced >= SyncEvery || Stopwatch.GetElapsedTime(_lastSync) >= SyncInterval)
        {
            Sync();
        }
    }

    /// <summary>Appends one "seen" line holding <paramref name="positions"/> (base positions, any order) as ranges; sorts and empties the list. Nothing when it is empty.</summary>
    public void AppendSeen(List<long> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
        {
            return;
        }

        positions.Sort();
        var line = new StringBuilder("{\"seen\":\"");
        for (var i = 0; i < positions.Count;)
        {
            var first = positions[i];
            var last = first;
            while (++i < positions.Count && positions[i] <= last + 1)
            {
                last = positions[i];
            }

            line.Append(line[^1] == '"' ? "" : ",").Append(first).Append('-').Append(last);
        }

        _stream.Write(Encoding.UTF8.GetBytes(line.Append("\"}\n").ToString()));
        positions.Clear();
    }

    /// <summary>Forces every appended line to disk.</summary>
    public void Sync()
    {
        _stream.Flush(flushToDisk: true);
        _unsynced = 0;
        _lastSync = Stopwatch.GetTimestamp();
    }

    public void Dispose()
    {
        Sync();
        _stream.Dispose();
        _opened.Dispose();
    }

    /// <summary>
    /// Loads complete lines, streamed through a buffer that holds one line at most; returns the length
    /// of the good prefix. A bad line before the end is an error naming it, as is a line longer than
    /// <see cref="MaxLineBytes"/>. The journal itself has no size limit.
    /// </summary>
    private static long Load(Stream stream, Action<RescoreRecord>? each, string path, Action<long, long>? seen)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBlockBytes);
        try
        {
            long good = 0; // file offset of buffer[0]: every line before it is loaded
            var filled = 0;
            var scanned = 0; // buffer[..scanned] holds no line end
            var lineNumber = 0;
            int read;
            while ((read = stream.Read(buffer, filled, buffer.Length - filled)) > 0)
            {
                filled += read;
                var start = 0;
                int end;
                while ((end = buffer.AsSpan(scanned, filled - scanned).IndexOf((byte)'\n')) >= 0)
                {
                    end += scanned;
                    var line = buffer.AsSpan(start, end - start);
                    ++lineNumber;
                    if (line.StartsWith(SeenPrefix))
                    {
                        if (seen is not null)
                        {
                            ParseSeen(line, lineNumber, path, seen);
                        }
                    }
                    else if (each is not null)
                    {
                        each(Parse(line, lineNumber, path));
                    }

                    start = scanned = end + 1;
                }

                // Keep the partial line: at the front, in a larger buffer when it fills this one.
                good += start;
                var partial = filled - start;
                if (partial == buffer.Length)
                {
                    buffer = Grow(buffer, lineNumber + 1, path);
                }
                else
                {
                    buffer.AsSpan(start, partial).CopyTo(buffer);
                }

                filled = partial;
                scanned = partial;
            }

            return good; // what is left in the buffer is a torn tail: the process stopped mid-line
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int lineNumber, string path)
    {
        if (buffer.Length >= MaxLineBytes)
        {
            throw new InvalidDataException($"{path} line {lineNumber} is longer than {MaxLineBytes} bytes: it is not a journal record.");
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxLineBytes));
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private static void ParseSeen(ReadOnlySpan<byte> line, int lineNumber, string path, Action<long, long> each)
    {
        var body = line[SeenPrefix.Length..];
        var close = body.IndexOf((byte)'"');
        if (close < 0 || !body[close..].SequenceEqual("\"}"u8))
        {
            throw new InvalidDataException($"{path} line {lineNumber} is not a seen line: {Encoding.UTF8.GetString(line[..Math.Min(line.Length, 80)])}");
        }

        foreach (var range in Encoding.ASCII.GetString(body[..close]).Split(','))
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash < 1
                || !long.TryParse(range.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var first)
                || !long.TryParse(range.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var last)
                || last < first)
            {
                throw new InvalidDataException($"{path} line {lineNumber} has a bad seen range '{range}'.");
            }

            each(first, last);
        }
    }

    private static RescoreRecord Parse(ReadOnlySpan<byte> line, int lineNumber, string path)
    {
        try
        {
            return JsonSerializer.Deserialize(line, RescoreJsonContext.Default.RescoreRecord)
                ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} line {lineNumber} is not a journal record: {ex.Message} ({Encoding.UTF8.GetString(line[..Math.Min(line.Length, 80)])})", ex);
        }
    }
}
