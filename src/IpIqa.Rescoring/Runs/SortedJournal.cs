using System.Buffers;
using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// Tells whether a journal can be read in place as key-sorted records (#19). A full run over a
/// folder, a blob listing or a sorted manifest journals its items in listing order, which is key
/// order, so its journal needs no sort. The scan reads each line's <c>key</c> only (a byte scan
/// with <see cref="Utf8JsonReader"/>, no record is built) and gives up at the first line that is
/// not a record with a key above the previous one: a seen line, a key out of order or repeated, a
/// line over <see cref="MaxLineBytes"/>, or a torn last line. The caller then sorts as before.
/// </summary>
internal static class SortedJournal
{
    /// <summary>The longest line the scan reads; a longer one sends the journal to the sort.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>The layout of the journal at <paramref name="path"/> when it is key-sorted (a missing journal is empty); null when it must be sorted.</summary>
    public static JournalLayout? TryScan(string path, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var sparse = new List<(string Key, long Offset)>();
        if (!File.Exists(path))
        {
            return new JournalLayout(sparse, 0, null);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxLineBytes);
        try
        {
            var count = 0L;
            string? last = null;
            long offset = 0; // file offset of buffer[0]
            var filled = 0;
            int read;
            while ((read = stream.Read(buffer, filled, buffer.Length - filled)) > 0)
            {
                filled += read;
                var start = 0;
                int end;
                while ((end = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n')) >= 0)
                {
                    if (KeyOf(buffer.AsSpan(start, end)) is not { } key || (last is not null && string.CompareOrdinal(last, key) >= 0))
                    {
                        return null;
                    }

                    if (count++ % stride == 0)
                    {
                        sparse.Add((key, offset + start));
                    }

                    last = key;
                    start += end + 1;
                }

                if (start == 0 && filled == buffer.Length)
                {
                    return null; // a line longer than the buffer
                }

                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                offset += start;
                filled -= start;
            }

            return filled == 0 ? new JournalLayout(sparse, count, last) : null; // a torn last line: the sort drops it
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The <c>key</c> of a journal record line, without reading the rest; null for any other line.</summary>
    private static string? KeyOf(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKey = reader.ValueTextEquals("key"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isKey)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
