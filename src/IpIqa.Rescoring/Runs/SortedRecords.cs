using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// The records of a journal in the ordinal order of their keys, one record per key (the journal's
/// later line wins), sorted outside memory: the journal is read once into sorted runs of at most
/// <see cref="ChunkRecords"/> records, each written to a file of its own, and <see cref="Records"/>
/// merges the runs (a k-way merge that holds one record per run). Memory is bounded by the run
/// size, whatever the journal's length; every enumeration merges again. Disposing deletes the runs.
/// </summary>
public sealed class SortedRecords : IDisposable
{
    /// <summary>Records per sorted run: about 20 MB in memory while a run is sorted; 500 runs (open files while merging) at 10M records.</summary>
    public const int ChunkRecords = 20_000;

    private readonly string _folder;
    private readonly List<string> _chunks = [];

    private SortedRecords(string folder) => _folder = folder;

    /// <summary>How many records the journal held (lines, before duplicate keys were dropped).</summary>
    public long Lines { get; private set; }

    /// <summary>Sorts the journal at <paramref name="journalPath"/> into runs under a new folder in <paramref name="workFolder"/>.</summary>
    public static SortedRecords Create(string journalPath, string workFolder, int chunkRecords = ChunkRecords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRecords, 1);
        var sorted = new SortedRecords(Directory.CreateDirectory(Path.Combine(workFolder, $"sort-{Guid.NewGuid():N}")).FullName);
        try
        {
            var chunk = new List<(RescoreRecord Record, long Line)>(Math.Min(chunkRecords, 4096));
            RunJournal.ForEach(journalPath, record =>
            {
                chunk.Add((record, sorted.Lines++));
                if (chunk.Count >= chunkRecords)
                {
                    sorted.WriteChunk(chunk);
                }
            });
            sorted.WriteChunk(chunk);
            return sorted;
        }
        catch
        {
            sorted.Dispose();
            throw;
        }
    }

    /// <summary>The records, one per key, in ordinal key order.</summary>
    public IEnumerable<RescoreRecord> Records()
    {
        var readers = _chunks.Select(c => new StreamReader(c)).ToArray();
        try
        {
            // The queue holds the head of each run; equal keys come out in run order, so the last is the latest line.
            var heads = new PriorityQueue<(RescoreRecord Record, int Run), (string Key, int Run)>(Comparer<(string Key, int Run)>.Create(
                static (x, y) => string.CompareOrdinal(x.Key, y.Key) is var c && c != 0 ? c : x.Run.CompareTo(y.Run)));
            for (var i = 0; i < readers.Length; i++)
            {
                Enqueue(heads, readers[i], i);
            }

            while (heads.TryDequeue(out var head, out _))
            {
                Enqueue(heads, readers[head.Run], head.Run);
                if (!heads.TryPeek(out var next, out _) || next.Record.Key != head.Record.Key)
                {
                    yield return head.Record;
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static void Enqueue(PriorityQueue<(RescoreRecord Record, int Run), (string Key, int Run)> heads, StreamReader reader, int run)
    {
        if (reader.ReadLine() is { } line)
        {
            var record = JsonSerializer.Deserialize(line, RescoreJsonContext.Default.RescoreRecord)!;
            heads.Enqueue((record, run), (record.Key, run));
        }
    }

    /// <summary>Sorts <paramref name="chunk"/> by key (a key's later line after its earlier one), keeps each key's last line, writes it as a run, and empties it.</summary>
    private void WriteChunk(List<(RescoreRecord Record, long Line)> chunk)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        chunk.Sort(static (x, y) => string.CompareOrdinal(x.Record.Key, y.Record.Key) is var c && c != 0 ? c : x.Line.CompareTo(y.Line));
        var path = Path.Combine(_folder, $"{_chunks.Count:D6}.jsonl");
        using (var writer = new StreamWriter(path))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                if (i + 1 < chunk.Count && chunk[i + 1].Record.Key == chunk[i].Record.Key)
                {
                    continue;
                }

                writer.WriteLine(JsonSerializer.Serialize(chunk[i].Record, RescoreJsonContext.Default.RescoreRecord));
            }
        }

        _chunks.Add(path);
        chunk.Clear();
    }
}
