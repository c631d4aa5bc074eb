using System.IO.Compression;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// Encodes 8-bit RGB/RGBA PNGs with a chosen filter type per row (PNG 1.2 §6) and the zlib stream cut
/// into a chosen number of IDAT chunks, so tests reach every unfilter branch and chunk layout.
/// </summary>
internal static class FilteredPng
{
    /// <summary>Filter type of a row: 0–4, or per-row cycling through all five with <see cref="Mixed"/>.</summary>
    public const int Mixed = -1;

    /// <summary>Random samples, <paramref name="channels"/> a pixel, rows packed.</summary>
    public static byte[] RandomPixels(int width, int height, int channels, int seed)
    {
        var pixels = new byte[width * height * channels];
        new Random(seed).NextBytes(pixels);

        // Smooth runs too, so Paeth and Average take each of their branches on equal neighbours.
        for (var i = 0; i < pixels.Length / 3; i++)
        {
            pixels[i] = (byte)(i / 7);
        }

        return pixels;
    }

    /// <summary>The filtered rows (filter byte first), before compression.</summary>
    public static byte[] FilterRows(byte[] pixels, int width, int height, int channels, int filter)
    {
        var rowBytes = width * channels;
        var output = new byte[height * (rowBytes + 1)];
        for (var y = 0; y < height; y++)
        {
            var type = filter == Mixed ? (y * 3) % 5 : filter;
            var row = output.AsSpan(y * (rowBytes + 1), rowBytes + 1);
            row[0] = (byte)type;
            for (var i = 0; i < rowBytes; i++)
            {
                int a = i >= channels ? pixels[(y * rowBytes) + i - channels] : 0;
                int b = y > 0 ? pixels[((y - 1) * rowBytes) + i] : 0;
                int c = y > 0 && i >= channels ? pixels[((y - 1) * rowBytes) + i - channels] : 0;
                var predictor = type switch
                {
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    4 => Paeth(a, b, c),
                    _ => 0,
                };
                row[1 + i] = (byte)(pixels[(y * rowBytes) + i] - predictor);
            }
        }

        return output;
    }

    public static byte[] Zlib(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }

    /// <summary>IHDR, <paramref name="before"/> chunks, the zlib stream in <paramref name="pieces"/> IDATs, <paramref name="after"/> chunks, IEND.</summary>
    public static byte[] Build(int width, int height, int channels, byte[] zlib, int pieces = 1, (string Type, byte[] Data)[]? before = null, (string Type, byte[] Data)[]? after = null, byte interlace = 0)
    {
        using var output = new MemoryStream();
        output.Write(PngBuilder.Signature);
        var header = PngBuilder.Header(width, height, 8, channels == 4 ? (byte)6 : (byte)2);
        header[12] = interlace;
        PngBuilder.WriteChunk(output, "IHDR", header);
        foreach (var (type, data) in before ?? [])
        {
            PngBuilder.WriteChunk(output, type, data);
        }

        var size = (zlib.Length + pieces - 1) / pieces;
        for (var start = 0; start < zlib.Length; start += size)
        {
            PngBuilder.WriteChunk(output, "IDAT", zlib[start..Math.Min(zlib.Length, start + size)]);
        }

        foreach (var (type, data) in after ?? [])
        {
            PngBuilder.WriteChunk(output, type, data);
        }

        PngBuilder.WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    public static byte[] Encode(byte[] pixels, int width, int height, int channels, int filter, int pieces = 1) =>
        Build(width, height, channels, Zlib(FilterRows(pixels, width, height, channels, filter)), pieces);

    /// <summary>What a decoder's RGBX frame must hold: the samples, alpha 255 for RGB.</summary>
    public static byte[] Rgbx(byte[] pixels, int width, int height, int channels)
    {
        var rgbx = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            rgbx[(i * 4) + 0] = pixels[(i * channels) + 0];
            rgbx[(i * 4) + 1] = pixels[(i * channels) + 1];
            rgbx[(i * 4) + 2] = pixels[(i * channels) + 2];
            rgbx[(i * 4) + 3] = channels == 4 ? pixels[(i * channels) + 3] : (byte)255;
        }

        return rgbx;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
