namespace IpIqa.Imaging.Decoding;

/// <summary>A read-only stream over the payloads of several chunks of a pinned buffer, read as one.</summary>
internal sealed unsafe class ChunkStream(byte* start, IReadOnlyList<(int Offset, int Length)> chunks) : Stream
{
    private int _chunk;
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_chunk < chunks.Count && _position == chunks[_chunk].Length)
        {
            _chunk++;
            _position = 0;
        }

        if (_chunk == chunks.Count || buffer.IsEmpty)
        {
            return 0;
        }

        var (offset, length) = chunks[_chunk];
        var count = Math.Min(buffer.Length, length - _position);
        new ReadOnlySpan<byte>(start + offset + _position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
