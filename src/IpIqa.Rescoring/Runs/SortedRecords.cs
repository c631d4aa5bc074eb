using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// The records of a journal in the ordinal order of their keys, one record per key (the journal's
/// later line wins), sorted outside memory: the journal is read once into sorted runs of at most
/// <see cref="ChunkRecords"/> records, each written to a file of its own, and <see cref="Records"/>
/// merges the runs (a k-way merge that holds one record per run). While there are more than
/// <see cref="MaxFanIn"/> runs, consecutive groups of that many are merged into one file each (a
/// multi-pass merge), so no more than <see cref="MaxFanIn"/> files are ever open at once (#19).
/// Memory is bounded by the run size, whatever the journal's length; every enumeration merges
/// again. Disposing deletes the runs.
/// </summary>
public sealed class SortedRecords : IDisposable
{
    /// <summary>Records per sorted run: about 20 MB in memory while a run is sorted.</summary>
    public const int ChunkRecords = 20_000;

    /// <summary>Sorted runs merged at once: the most files a merge opens (10M records: 500 runs, one extra pass).</summary>
    public const int MaxFanIn = 64;

    private readonly string _folder;
    private readonly int _fanIn;
    private List<string> _chunks = [];
    private int _written;

    private SortedRecords(string folder, int fanIn)
    {
        _folder = folder;
        _fanIn = fanIn;
    }

    /// <summary>How many records the journal held (lines, before duplicate keys were dropped).</summary>
    public long Lines { get; private set; }

    /// <summary>How many merge passes ran before <see cref="Records"/> (0 while the runs fit one merge).</summary>
    public int Passes { get; private set; }

    /// <summary>The sorted runs <see cref="Records"/> merges (at most the fan-in).</summary>
    public int Runs => _chunks.Count;

    /// <summary>Sorts the journal at <paramref name="journalPath"/> into runs under a new folder in <paramref name="workFolder"/>.</summary>
    public static SortedRecords Create(string journalPath, string workFolder, int chunkRecords = ChunkRecords, int fanIn = MaxFanIn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRecords, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 2);
        var sorted = new SortedRecords(Directory.CreateDirectory(Path.Combine(workFolder, $"sort-{Guid.NewGuid():N}")).FullName, fanIn);
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
            sorted.MergeDown();
            return sorted;
        }
        catch
        {
            sorted.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The records of the journal at <paramref name="journalPath"/>: read in place when they are
    /// already in strictly increasing key order (<see cref="SortedJournal"/>), else sorted as
    /// <see cref="Create"/> does. The journal must not grow while this is open (#19).
    /// </summary>
    public static SortedRecords Open(string journalPath, string workFolder)
    {
        if (SortedJournal.TryScan(journalPath, int.MaxValue) is not { } layout)
        {
            return Create(journalPath, workFolder);
        }

        // The folder is never created: there is nothing to delete.
        var sorted = new SortedRecords(Path.Combine(workFolder, $"sort-{Guid.NewGuid():N}"), MaxFanIn) { Lines = layout.Count };
        if (layout.Count > 0)
        {
            sorted._chunks.Add(journalPath);
        }

        return sorted;
    }

    /// <summary>The records, one per key, in ordinal key order.</summary>
    public IEnumerable<RescoreRecord> Records() => Merge(_chunks);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Merges consecutive groups of runs into one run each until at most the fan-in remain; the order of the runs (later lines later) is kept.</summary>
    private void MergeDown()
    {
        while (_chunks.Count > _fanIn)
        {
            var merged = new List<string>((_chunks.Count + _fanIn - 1) / _fanIn);
            for (var start = 0; start < _chunks.Count; start += _fanIn)
            {
                var group = _chunks.GetRange(start, Math.Min(_fanIn, _chunks.Count - start));
                var path = NextPath();
                using (var writer = NewRun(path))
                {
                    foreach (var record in Merge(group))
                    {
                        WriteLine(writer, record);
                    }
                }

                group.ForEach(File.Delete);
                merged.Add(path);
            }

            _chunks = merged;
            Passes++;
        }
    }

    /// <summary>A k-way merge of sorted runs: one record per key, the one of the latest run holding the key.</summary>
    private static IEnumerable<RescoreRecord> Merge(IReadOnlyList<string> runs)
    {
        var readers = new JournalLineReader[runs.Count];
        try
        {
            for (var i = 0; i < runs.Count; i++)
            {
                readers[i] = new JournalLineReader(runs[i]);
            }

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
                reader?.Dispose();
            }
        }
    }

    private static void Enqueue(PriorityQueue<(RescoreRecord Record, int Run), (string Key, int Run)> heads, JournalLineReader reader, int run)
    {
        if (reader.Next() is { } record)
        {
            heads.Enqueue((record, run), (record.Key, run));
        }
    }

    private static FileStream NewRun(string path) => new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);

    private static void WriteLine(FileStream run, RescoreRecord record)
    {
        run.Write(JsonSerializer.SerializeToUtf8Bytes(record, RescoreJsonContext.Default.RescoreRecord));
        run.WriteByte((byte)'\n');
    }

    private string NextPath() => Path.Combine(_folder, $"{_written++:D6}.jsonl");

    /// <summary>Sorts <paramref name="chunk"/> by key (a key's later line after its earlier one), keeps each key's last line, writes it as a run, and empties it.</summary>
    private void WriteChunk(List<(RescoreRecord Record, long Line)> chunk)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        chunk.Sort(static (x, y) => string.CompareOrdinal(x.Record.Key, y.Record.Key) is var c && c != 0 ? c : x.Line.CompareTo(y.Line));
        var path = NextPath();
        using (var writer = NewRun(path))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                if (i + 1 < chunk.Count && chunk[i + 1].Record.Key == chunk[i].Record.Key)
                {
                    continue;
                }

                WriteLine(writer, chunk[i].Record);
            }
        }

        _chunks.Add(path);
        chunk.Clear();
    }
}
