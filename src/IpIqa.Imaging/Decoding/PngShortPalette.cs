using System.Buffers.Binary;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// A PNG whose pixels index past its PLTE entries: Pillow shows index i as (i, i, i) (its palette
/// starts as a grey ramp), while ImageSharp 2.1.13 reads past the end of its palette buffer. For the
/// ImageSharp path the PLTE chunk is rewritten to the full 2^depth entries, padded with that ramp.
/// </summary>
internal static class PngShortPalette
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>A copy with a full PLTE, or null when the file is not a palette PNG with a short PLTE.</summary>
    public static byte[]? Pad(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8 + 25 || !data.Slice(12, 4).SequenceEqual("IHDR"u8) || data[25] != 3 || data[24] is 0 or > 8)
        {
            return null;
        }

        var entries = 1 << data[24];
        long offset = 8;
        while (offset + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice((int)offset, 4));
            var type = data.Slice((int)offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || offset + 12 + length > data.Length)
            {
                return null;
            }

            if (type.SequenceEqual("PLTE"u8))
            {
                return length % 3 != 0 || length / 3 >= entries ? null : Rewrite(data, (int)offset, (int)length, entries);
            }

            offset += 12 + length;
        }

        return null;
    }

    private static byte[] Rewrite(ReadOnlySpan<byte> data, int offset, int length, int entries)
    {
        var chunk = new byte[12 + (entries * 3)];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)(entries * 3));
        "PLTE"u8.CopyTo(chunk.AsSpan(4));
        data.Slice(offset + 8, length).CopyTo(chunk.AsSpan(8));
        for (var i = length / 3; i < entries; i++)
        {
            chunk[8 + (i * 3)] = chunk[9 + (i * 3)] = chunk[10 + (i * 3)] = (byte)i;
        }

        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + (entries * 3)), Crc(chunk.AsSpan(4, 4 + (entries * 3))));
        return [.. data[..offset], .. chunk, .. data[(offset + 12 + length)..]];
    }

    // The PNG/zlib CRC-32 (polynomial 0xEDB88320), only for the one rewritten chunk.
    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
