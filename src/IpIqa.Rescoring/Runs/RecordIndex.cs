using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// A journal's records, one per key (the later line wins), in one key-sorted file on disk, looked
/// up by key without holding them (#19). Built with <see cref="SortedRecords"/> (an external sort),
/// then written as one file with a sparse index in memory: the key and file offset of every
/// <see cref="Stride"/>-th record. A lookup moves a forward cursor: when the keys asked for rise, as
/// a folder or blob listing's do, the lookups are a merge-join that reads the file once. A key below
/// the cursor (an unsorted manifest) seeks to the indexed record before it and reads at most
/// <see cref="Stride"/> records. Memory: one record, one line buffer and the sparse index (about
/// 1/<see cref="Stride"/> of the keys). Disposing deletes the file.
/// </summary>
public sealed class RecordIndex : IDisposable
{
    /// <summary>Records between two entries of the sparse index.</summary>
    public const int Stride = 64;

    private readonly string _path;
    private readonly List<(string Key, long Offset)> _sparse;
    private readonly JournalLineReader _reader;
    private readonly string? _lastKey;
    private readonly bool _owned; // the index file is this index's own (deleted on dispose), not a journal read in place
    private RescoreRecord? _head; // the record under the cursor; null at the end of the file
    private long _position; // the record number of _head
    private string? _sought; // the key last looked up: _head is the first record at or after it

    private RecordIndex(string path, List<(string Key, long Offset)> sparse, long count, string? lastKey, bool owned = true)
    {
        _path = path;
        _owned = owned;
        _sparse = sparse;
        Count = count;
        _lastKey = lastKey;
        _reader = new JournalLineReader(path);
        if (sparse.Count > 0)
        {
            Seek(0);
        }
    }

    /// <summary>How many distinct keys the journal holds.</summary>
    public long Count { get; }

    /// <summary>Sorts the journal at <paramref name="journalPath"/> (none: no records) into an index file under <paramref name="workFolder"/>.</summary>
    public static RecordIndex Create(string journalPath, string workFolder, int chunkRecords = SortedRecords.ChunkRecords)
    {
        using var sorted = SortedRecords.Create(journalPath, Directory.CreateDirectory(workFolder).FullName, chunkRecords);
        return Create(sorted.Records(), workFolder);
    }

    /// <summary>
    /// The records of the finished journal at <paramref name="journalPath"/>: read in place when its
    /// records are already in strictly increasing key order (<see cref="SortedJournal"/>; a full
    /// run's journal over a sorted listing), else sorted into an index file as <see cref="Create(string, string, int)"/> does (#19).
    /// The journal must not grow while the index is open; disposing leaves it in place.
    /// </summary>
    public static RecordIndex OfJournal(string journalPath, string workFolder)
    {
        return File.Exists(journalPath) && SortedJournal.TryScan(journalPath, Stride) is { } layout
            ? new RecordIndex(journalPath, layout.Sparse, layout.Count, layout.LastKey, owned: false)
            : Create(journalPath, workFolder);
    }

    /// <summary>Whether the records are read from the journal in place (no sorted copy was written).</summary>
    public bool InPlace => !_owned;

    /// <summary>Writes <paramref name="sortedRecords"/> (one per key, in ordinal key order, such as a <see cref="RunRecords"/>' records) into an index file under <paramref name="workFolder"/>.</summary>
    public static RecordIndex Create(IEnumerable<RescoreRecord> sortedRecords, string workFolder)
    {
        ArgumentNullException.ThrowIfNull(sortedRecords);
        var path = Path.Combine(Directory.CreateDirectory(workFolder).FullName, $"index-{Guid.NewGuid():N}.jsonl");
        var sparse = new List<(string Key, long Offset)>();
        var count = 0L;
        string? lastKey = null;
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                foreach (var record in sortedRecords)
                {
                    if (count++ % Stride == 0)
                    {
                        sparse.Add((record.Key, file.Position));
                    }

                    lastKey = record.Key;
                    file.Write(JsonSerializer.SerializeToUtf8Bytes(record, RescoreJsonContext.Default.RescoreRecord));
                    file.WriteByte((byte)'\n');
                }
            }

            return new RecordIndex(path, sparse, count, lastKey);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Every record, in key order, read from the index file by a reader of its own (the look-up cursor does not move).</summary>
    public IEnumerable<RescoreRecord> Records()
    {
        using var reader = new JournalLineReader(_path);
        while (reader.Next() is { } record)
        {
            yield return record;
        }
    }

    /// <summary>Finds the record of <paramref name="key"/>; fastest when keys are asked in rising ordinal order.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out RescoreRecord record) => TryGet(key, out record, out _);

    /// <summary>Finds the record of <paramref name="key"/> and its position: its number in key order, from 0.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out RescoreRecord record, out long position)
    {
        ArgumentNullException.ThrowIfNull(key);
        record = null;
        position = -1;
        if (_lastKey is null || string.CompareOrdinal(key, _lastKey) > 0)
        {
            return false; // past the last key: a new image at the end of the listing costs no read
        }

        if (_sought is not null && _head is not null && string.CompareOrdinal(key, _sought) >= 0 && string.CompareOrdinal(key, _head.Key) < 0)
        {
            return false; // between the last key asked and the next record: a new image in a rising listing costs no read
        }

        // The last indexed record at or below the key: jump there when it is ahead of the cursor, or when the key is behind it.
        var block = LastBlockAtOrBelow(key);
        if (block < 0)
        {
            return false;
        }

        if (_head is null || string.CompareOrdinal(key, _head.Key) < 0 || block > _position / Stride)
        {
            Seek(block);
        }

        while (_head is not null && string.CompareOrdinal(_head.Key, key) < 0)
        {
            Advance();
        }

        _sought = key;

        if (_head is not null && _head.Key == key)
        {
            record = _head;
            position = _position;
            return true;
        }

        return false;
    }

    public void Dispose()
    {
        _reader.Dispose();
        if (_owned)
        {
            File.Delete(_path);
        }
    }

    private int LastBlockAtOrBelow(string key)
    {
        int lo = 0, hi = _sparse.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (string.CompareOrdinal(_sparse[mid].Key, key) <= 0)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private void Seek(int block)
    {
        _reader.Seek(_sparse[block].Offset);
        _position = ((long)block * Stride) - 1;
        Advance();
    }

    private void Advance()
    {
        _head = _reader.Next();
        _position++;
    }
}
