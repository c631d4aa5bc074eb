using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// The append-only journal of a run (<c>journal.jsonl</c>): one JSON line per finished item. Lines
/// are written as items finish and forced to disk every <see cref="SyncEvery"/> lines or
/// <see cref="SyncInterval"/>, and at every page checkpoint. On open, a torn last line (a killed
/// process) is cut off, so what remains is exactly the items that finished.
/// </summary>
public sealed class RunJournal : IDisposable
{
    public const int SyncEvery = 256;
    public static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(2);

    private readonly FileStream _stream;
    private readonly Dictionary<string, RescoreRecord> _records;
    private int _unsynced;
    private long _lastSync = Stopwatch.GetTimestamp();

    private RunJournal(FileStream stream, Dictionary<string, RescoreRecord> records)
    {
        _stream = stream;
        _records = records;
    }

    /// <summary>The records so far, by item key.</summary>
    public IReadOnlyDictionary<string, RescoreRecord> Records => _records;

    /// <summary>Opens (or creates) the journal at <paramref name="path"/>, loading what it holds.</summary>
    public static RunJournal Open(string path)
    {
        var records = new Dictionary<string, RescoreRecord>(StringComparer.Ordinal);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var good = Load(stream, records, path);
            stream.SetLength(good);
            stream.Seek(good, SeekOrigin.Begin);
            return new RunJournal(stream, records);
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
            Load(stream, records, path);
        }

        return records;
    }

    public bool Contains(string key) => _records.ContainsKey(key);

    public void Append(RescoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = JsonSerializer.SerializeToUtf8Bytes(record, RescoreJsonContext.Default.RescoreRecord);
        _stream.Write(line);
        _stream.WriteByte((byte)'\n');
        _records[record.Key] = record;
        if (++_unsynced >= SyncEvery || Stopwatch.GetElapsedTime(_lastSync) >= SyncInterval)
        {
            Sync();
        }
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
    }

    /// <summary>Loads complete lines; returns the length of the good prefix. A bad line before the end is an error naming it.</summary>
    private static long Load(Stream stream, Dictionary<string, RescoreRecord> records, string path)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        long good = 0;
        var lineNumber = 0;
        while (good < bytes.Length)
        {
            var rest = bytes[(int)good..];
            var end = rest.IndexOf((byte)'\n');
            lineNumber++;
            if (end < 0)
            {
                break; // torn tail: the process stopped mid-line
            }

            try
            {
                var record = JsonSerializer.Deserialize(rest[..end], RescoreJsonContext.Default.RescoreRecord)
                    ?? throw new JsonException("null");
                records[record.Key] = record;
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path} line {lineNumber} is not a journal record: {ex.Message} ({Encoding.UTF8.GetString(rest[..Math.Min(end, 80)])})", ex);
            }

            good += end + 1;
        }

        return good;
    }
}
