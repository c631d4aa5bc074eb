using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// Undoes PNG's row filters (None, Sub, Up, Average, Paeth; PNG 1.2 §6) for 8-bit RGB or RGBA and writes
/// RGBX, the alpha byte 255 for RGB as libspng writes it. The filtered rows may lie in the same buffer,
/// after the output (<see cref="PngFastPath"/> inflates into the frame's tail): every pixel is read
/// before the bytes that overlap it are written, and output row y ends before filtered row y + 1 begins.
/// None, Sub and Up run four pixels a step with SSSE3, Average and Paeth a pixel a step with SSE4.1,
/// the last pixels of a None/Sub/Up row in scalar code. SIMD and scalar give the same bytes.
/// </summary>
internal static class PngUnfilter
{
    private const byte None = 0;
    private const byte Sub = 1;
    private const byte Up = 2;
    private const byte Average = 3;
    private const byte Paeth = 4;

    /// <summary>False when a row's filter type is not 0–4 (the caller then leaves the file to libspng).</summary>
    public static unsafe bool Rows(byte* output, byte* filtered, int width, int height, int channels, bool allowSimd)
    {
        var stride = (long)width * 4;
        var rowBytes = (long)width * channels;
        var simd = allowSimd && Ssse3.IsSupported;
        for (var y = 0; y < height; y++)
        {
            var raw = filtered + ((long)y * (rowBytes + 1));
            var filter = raw[0];
            var row = output + ((long)y * stride);
            var previous = y == 0 ? null : row - stride;
            if (filter > Paeth)
            {
                return false;
            }

            if (previous == null)
            {
                // Above the first row is zero: Up is None, Paeth's predictor is the left pixel.
                filter = filter switch { Up => None, Paeth => Sub, _ => filter };
            }

            if (simd && filter >= Average && Sse41.IsSupported)
            {
                RowPixelsSse41(raw + 1, row, previous, width, channels, filter);
                continue;
            }

            var done = simd && filter <= Up ? RowSsse3(raw + 1, row, previous, width, channels, filter) : 0;
            RowScalar(raw + 1, row, previous, done, width, channels, filter);
        }

        return true;
    }

    /// <summary>Whole steps of four pixels; returns how many pixels it wrote.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int RowSsse3(byte* raw, byte* row, byte* previous, int width, int channels, byte filter)
    {
        var expand = channels == 3
            ? Vector128.Create((byte)0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80)
            : Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var alpha = channels == 3 ? Vector128.Create(0xFF000000u).AsByte() : Vector128<byte>.Zero;
        var left = Vector128<byte>.Zero;
        var x = 0;
        for (; x + 4 <= width; x += 4)
        {
            // Sixteen bytes are read (four past an RGB step: the next pixels or the frame's padding) before any is written.
            var v = Ssse3.Shuffle(Vector128.Load(raw + (x * channels)), expand);
            switch (filter)
            {
                case Sub:
                    v += Sse2.ShiftLeftLogical128BitLane(v, 4);
                    v += Sse2.ShiftLeftLogical128BitLane(v, 8);
                    v += left;
                    left = Sse2.Shuffle(v.AsUInt32(), 0xFF).AsByte();
                    break;
                case Up:
                    v += Vector128.Load(previous + (x * 4));
                    break;
            }

            (v | alpha).Store(row + (x * 4));
        }

        return x;
    }

    /// <summary>
    /// Average or Paeth, one pixel a step: its four samples as 16-bit lanes (a left, b above, c above
    /// left). Each step reads four raw bytes (one past an RGB pixel) before it writes four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowPixelsSse41(byte* raw, byte* row, byte* previous, int width, int channels, byte filter)
    {
        var keep = Vector128.Create(channels == 3 ? 0x00FFFFFFu : 0xFFFFFFFFu, 0, 0, 0).AsByte();
        var alpha = channels == 3 ? 0xFF000000u : 0u;
        var low = Vector128.Create((short)0xFF);
        var a = Vector128<short>.Zero;
        var c = Vector128<short>.Zero;
        for (var x = 0; x < width; x++)
        {
            var sample = Sse41.ConvertToVector128Int16(Vector128.CreateScalar(*(uint*)(raw + (x * channels))).AsByte() & keep);
            var b = previous != null ? Sse41.ConvertToVector128Int16(Vector128.CreateScalar(*(uint*)(previous + (x * 4))).AsByte()) : Vector128<short>.Zero;
            Vector128<short> predictor;
            if (filter == Average)
            {
                predictor = Sse2.ShiftRightLogical(a + b, 1);
            }
            else
            {
                var pa = Ssse3.Abs(b - c).AsInt16();
                var pb = Ssse3.Abs(a - c).AsInt16();
                var pc = Ssse3.Abs(a + b - c - c).AsInt16();
                var bOrC = Sse41.BlendVariable(b, c, Sse2.CompareGreaterThan(pb, pc));
                var useA = ~(Sse2.CompareGreaterThan(pa, pb) | Sse2.CompareGreaterThan(pa, pc));
                predictor = Sse41.BlendVariable(bOrC, a, useA);
            }

            a = (sample + predictor) & low;
            c = b;
            *(uint*)(row + (x * 4)) = Sse2.PackUnsignedSaturate(a, a).AsUInt32().ToScalar() | alpha;
        }
    }

    /// <summary>Pixels <paramref name="from"/> to the end of the row, one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowScalar(byte* raw, byte* row, byte* previous, int from, int width, int channels, byte filter)
    {
        for (var x = from; x < width; x++)
        {
            var src = raw + (x * channels);
            var dst = row + (x * 4);
            var pixel = channels == 3 ? src[0] | (src[1] << 8) | (src[2] << 16) : *(int*)src; // read before the overlapping write
            for (var c = 0; c < channels; c++)
            {
                int a = x > 0 ? dst[c - 4] : 0;
                int b = previous != null ? previous[(x * 4) + c] : 0;
                int d = x > 0 && previous != null ? previous[(x * 4) + c - 4] : 0;
                var predictor = filter switch
                {
                    Sub => a,
                    Up => b,
                    Average => (a + b) >> 1,
                    Paeth => PaethPredictor(a, b, d),
                    _ => 0,
                };
                dst[c] = (byte)((pixel >> (c * 8)) + predictor);
            }

            if (channels == 3)
            {
                dst[3] = 255;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PaethPredictor(int a, int b, int c)
    {
        var pa = Math.Abs(b - c);
        var pb = Math.Abs(a - c);
        var pc = Math.Abs(a + b - c - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
