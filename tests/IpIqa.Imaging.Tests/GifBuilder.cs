namespace IpIqa.Imaging.Tests;

/// <summary>
/// Writes a one-frame GIF with a 4-colour global palette. The LZW stream emits a clear code before
/// every pair of pixels, so every code stays 3 bits wide and no dictionary logic is needed.
/// </summary>
internal static class GifBuilder
{
    private const int Clear = 4;
    private const int End = 5;

    public static byte[] Build(int width, int height, byte[] palette, int? transparentIndex, Func<int, int, byte> index)
    {
        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        output.Write([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x81, 0, 0]);
        output.Write(palette.AsSpan(0, 12));
        if (transparentIndex is { } t)
        {
            output.Write([0x21, 0xF9, 4, 1, 0, 0, (byte)t, 0]);
        }

        output.Write([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]);
        output.WriteByte(2); // LZW minimum code size
        var codes = new List<int>();
        var pixels = Enumerable.Range(0, width * height).Select(i => index(i % width, i / width)).ToArray();
        for (var i = 0; i < pixels.Length; i++)
        {
            if (i % 2 == 0)
            {
                codes.Add(Clear);
            }

            codes.Add(pixels[i]);
        }

        codes.Add(End);
        var packed = Pack(codes, bits: 3);
        for (var i = 0; i < packed.Length; i += 255)
        {
            var block = packed.AsSpan(i, Math.Min(255, packed.Length - i));
            output.WriteByte((byte)block.Length);
            output.Write(block);
        }

        output.Write([0, 0x3B]);
        return output.ToArray();
    }

    // GIF packs codes least significant bit first.
    private static byte[] Pack(List<int> codes, int bits)
    {
        var bytes = new byte[((codes.Count * bits) + 7) / 8];
        var position = 0;
        foreach (var code in codes)
        {
            for (var b = 0; b < bits; b++, position++)
            {
                if (((code >> b) & 1) != 0)
                {
                    bytes[position / 8] |= (byte)(1 << (position % 8));
                }
            }
        }

        return bytes;
    }
}
