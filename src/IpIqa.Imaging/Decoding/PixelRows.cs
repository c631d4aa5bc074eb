using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// Row conversions to RGBX that follow Pillow's <c>convert("RGB")</c>: alpha is dropped (never
/// composited), grey is replicated, 16-bit colour keeps its high byte, and 16-bit grey (Pillow's
/// mode "I") is clamped to 255 rather than scaled.
/// </summary>
internal static class PixelRows
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromRgba32(ReadOnlySpan<Rgba32> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var p = row[x];
            Write(rgbx, x, p.R, p.G, p.B);
        }
    }

    /// <summary>Fully transparent pixels take <paramref name="transparent"/> (a GIF's palette colour).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromRgba32(ReadOnlySpan<Rgba32> row, Span<byte> rgbx, (byte R, byte G, byte B) transparent)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var p = row[x];
            if (p.A == 0)
            {
                Write(rgbx, x, transparent.R, transparent.G, transparent.B);
            }
            else
            {
                Write(rgbx, x, p.R, p.G, p.B);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromRgb24(ReadOnlySpan<Rgb24> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var p = row[x];
            Write(rgbx, x, p.R, p.G, p.B);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromL8(ReadOnlySpan<L8> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var v = row[x].PackedValue;
            Write(rgbx, x, v, v, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromLa16(ReadOnlySpan<La16> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var v = row[x].L;
            Write(rgbx, x, v, v, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromL16(ReadOnlySpan<L16> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var v = (byte)Math.Min(row[x].PackedValue, (ushort)255);
            Write(rgbx, x, v, v, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromLa32(ReadOnlySpan<La32> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var v = (byte)(row[x].L >> 8);
            Write(rgbx, x, v, v, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromRgb48(ReadOnlySpan<Rgb48> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var p = row[x];
            Write(rgbx, x, (byte)(p.R >> 8), (byte)(p.G >> 8), (byte)(p.B >> 8));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromRgba64(ReadOnlySpan<Rgba64> row, Span<byte> rgbx)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var p = row[x];
            Write(rgbx, x, (byte)(p.R >> 8), (byte)(p.G >> 8), (byte)(p.B >> 8));
        }
    }

    private static void Write(Span<byte> rgbx, int x, byte r, byte g, byte b)
    {
        var p = rgbx.Slice(x * 4, 4);
        p[0] = r;
        p[1] = g;
        p[2] = b;
        p[3] = 0;
    }
}
