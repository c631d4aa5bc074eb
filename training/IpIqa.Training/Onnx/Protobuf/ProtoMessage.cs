using System.Buffers;
using System.Buffers.Binary;

namespace IpIqa.Training.Onnx.Protobuf;

/// <summary>Bytes that are read only when a message is written.</summary>
internal delegate ReadOnlySpan<byte> SpanSource();

/// <summary>
/// A protobuf message in wire format, built bottom-up. Small fields are encoded into inline
/// chunks; large byte fields (tensor data) and child messages are kept by reference and written
/// only by <see cref="WriteTo"/>, so weight data is streamed once from where it already lives.
/// A child must be complete before it is added: its length is taken when it is added.
/// </summary>
internal sealed class ProtoMessage
{
    private const int WireVarint = 0;
    private const int WireFixed32 = 5;
    private const int WireLengthDelimited = 2;

    private readonly List<object> _segments = [];
    private readonly ArrayBufferWriter<byte> _pending = new();

    /// <summary>Encoded size in bytes.</summary>
    public long Length { get; private set; }

    public ProtoMessage Int64(int field, long value)
    {
        Tag(field, WireVarint);
        Varint(unchecked((ulong)value));
        return this;
    }

    public ProtoMessage Int64s(int field, IEnumerable<long> values)
    {
        foreach (var value in values)
        {
            Int64(field, value);
        }

        return this;
    }

    public ProtoMessage Float(int field, float value)
    {
        Tag(field, WireFixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        Raw(bytes);
        return this;
    }

    public ProtoMessage String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

    public ProtoMessage Strings(int field, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            String(field, value);
        }

        return this;
    }

    /// <summary>A length-delimited field whose bytes are referenced, not copied, until <see cref="WriteTo"/>.</summary>
    public ProtoMessage Bytes(int field, ReadOnlyMemory<byte> value)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        Flush();
        _segments.Add(value);
        Length += value.Length;
        return this;
    }

    /// <summary>A length-delimited field whose bytes are fetched from <paramref name="source"/> only by <see cref="WriteTo"/>.</summary>
    public ProtoMessage Bytes(int field, int length, SpanSource source)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)length);
        Flush();
        _segments.Add(source);
        Length += length;
        return this;
    }

    public ProtoMessage Message(int field, ProtoMessage child)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)child.Length);
        Flush();
        _segments.Add(child);
        Length += child.Length;
        return this;
    }

    public ProtoMessage Messages(int field, IEnumerable<ProtoMessage> children)
    {
        foreach (var child in children)
        {
            Message(field, child);
        }

        return this;
    }

    public void WriteTo(Stream stream)
    {
        Flush();
        foreach (var segment in _segments)
        {
            switch (segment)
            {
                case byte[] inline:
                    stream.Write(inline);
                    break;
                case ReadOnlyMemory<byte> external:
                    stream.Write(external.Span);
                    break;
                case SpanSource source:
                    stream.Write(source());
                    break;
                case ProtoMessage child:
                    child.WriteTo(stream);
                    break;
            }
        }
    }

    public byte[] ToArray()
    {
        using var stream = new MemoryStream(checked((int)Length));
        WriteTo(stream);
        return stream.ToArray();
    }

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        Span<byte> buffer = stackalloc byte[10];
        var count = 0;
        while (value >= 0x80)
        {
            buffer[count++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[count++] = (byte)value;
        Raw(buffer[..count]);
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        _pending.Write(bytes);
        Length += bytes.Length;
    }

    private void Flush()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        _segments.Add(_pending.WrittenSpan.ToArray());
        _pending.Clear();
    }
}
