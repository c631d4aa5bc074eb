using System.Buffers;
using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// Reads journal record lines from a file as UTF-8 bytes into a pooled buffer and parses each
/// straight from those bytes (no string per line, no transcoding), from the start or from a byte
/// offset (#19). The buffer grows for a long line up to <see cref="RunJournal.MaxLineBytes"/>.
/// </summary>
internal sealed class JournalLineReader : IDisposable
{
    private const int BlockBytes = 64 * 1024;

    private readonly FileStream _stream;
    private readonly string _path;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
    private int _start;
    private int _filled;

    public JournalLineReader(string path)
    {
        _path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
    }

    /// <summary>Moves to <paramref name="offset"/>, the start of a line.</summary>
    public void Seek(long offset)
    {
        _stream.Seek(offset, SeekOrigin.Begin);
        _start = _filled = 0;
    }

    /// <summary>The record of the next line; null at the end of the file.</summary>
    /// <exception cref="InvalidDataException">The line is not a journal record.</exception>
    public RescoreRecord? Next()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _filled - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                return Parse(line);
            }

            if (!Fill())
            {
                var rest = _buffer.AsSpan(_start, _filled - _start);
                _start = _filled;
                return rest.IsEmpty ? null : Parse(rest);
            }
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>Keeps the partial line at the front (in a larger buffer when it fills this one) and reads more; false at the end of the file.</summary>
    private bool Fill()
    {
        var partial = _filled - _start;
        if (partial == _buffer.Length)
        {
            if (_buffer.Length >= RunJournal.MaxLineBytes)
            {
                throw new InvalidDataException($"{_path} holds a line longer than {RunJournal.MaxLineBytes} bytes: it is not a journal record.");
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, RunJournal.MaxLineBytes));
            _buffer.AsSpan(_start, partial).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_start, partial).CopyTo(_buffer);
        }

        _start = 0;
        _filled = partial;
        var read = _stream.Read(_buffer, _filled, _buffer.Length - _filled);
        _filled += read;
        return read > 0;
    }

    private RescoreRecord Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, RescoreJsonContext.Default.RescoreRecord) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{_path} holds a line that is not a journal record: {ex.Message}", ex);
        }
    }
}
