using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using IpIqa.Imaging.Decoding;

namespace IpIqa.Imaging.Resampling;

/// <summary>
/// Separable bicubic resize that reproduces Pillow's <c>Image.resize(size, BICUBIC)</c> on 8-bit RGB:
/// a horizontal pass over the rows the vertical pass needs, clipped to 8 bits, then a vertical pass,
/// both in 22-bit fixed point with round-half-up. AVX-512 and AVX2 paths give the same integers as the scalar ones.
/// </summary>
internal static class PillowResampler
{
    private const int Half = 1 << (ResampleCoefficients.PrecisionBits - 1);

    /// <summary>Returns a new image of the requested size; the caller owns it. The flags let tests compare the code paths.</summary>
    public static RgbxImage Resize(RgbxImage source, int width, int height, bool allowSimd = true, bool allowAvx512 = true)
    {
        var horizontal = ResampleCoefficients.For(source.Width, width);
        var vertical = ResampleCoefficients.For(source.Height, height);
        var needHorizontal = width != source.Width;
        var needVertical = height != source.Height;

        if (!needHorizontal && !needVertical)
        {
            var copy = new RgbxImage(width, height);
            source.Pixels.CopyTo(copy.Pixels);
            return copy;
        }

        if (!needHorizontal)
        {
            var output = new RgbxImage(width, height);
            ResampleVertical(source, output, vertical, 0, allowSimd);
            return output;
        }

        // Only the rows the vertical pass reads are resampled horizontally.
        var firstRow = needVertical ? vertical.Starts[0] : 0;
        var lastRow = needVertical ? vertical.Starts[height - 1] + vertical.Counts[height - 1] : source.Height;
        var temp = new RgbxImage(width, lastRow - firstRow);
        try
        {
            ResampleHorizontal(source, temp, horizontal, firstRow, allowSimd, allowAvx512);
            if (!needVertical)
            {
                var done = temp;
                temp = null;
                return done;
            }

            var output = new RgbxImage(width, height);
            ResampleVertical(temp, output, vertical, firstRow, allowSimd);
            return output;
        }
        finally
        {
            temp?.Dispose();
        }
    }

    private static unsafe void ResampleHorizontal(RgbxImage input, RgbxImage output, ResampleCoefficients c, int rowOffset, bool allowSimd, bool allowAvx512)
    {
        fixed (byte* src = input.Buffer)
        fixed (byte* dst = output.Buffer)
        fixed (int* weights = c.Weights)
        fixed (int* paired = c.PairedWeights)
        fixed (int* quads = c.QuadWeights)
        {
            for (var yy = 0; yy < output.Height; yy++)
            {
                var inRow = src + ((long)(yy + rowOffset) * input.Stride);
                var outRow = (uint*)(dst + ((long)yy * output.Stride));
                if (allowSimd && allowAvx512 && Avx512F.IsSupported)
                {
                    HorizontalRowAvx512(inRow, outRow, c, quads);
                }
                else if (allowSimd && Avx2.IsSupported)
                {
                    HorizontalRowAvx2(inRow, outRow, c, paired);
                }
                else
                {
                    HorizontalRowScalar(inRow, outRow, c, weights);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void HorizontalRowScalar(byte* inRow, uint* outRow, ResampleCoefficients c, int* weights)
    {
        for (var xx = 0; xx < c.OutSize; xx++)
        {
            var k = weights + (xx * c.KernelSize);
            var p = inRow + (c.Starts[xx] * 4);
            int s0 = Half, s1 = Half, s2 = Half;
            for (var x = 0; x < c.Counts[xx]; x++)
            {
                s0 += p[(x * 4) + 0] * k[x];
                s1 += p[(x * 4) + 1] * k[x];
                s2 += p[(x * 4) + 2] * k[x];
            }

            outRow[xx] = Clip8(s0) | (Clip8(s1) << 8) | (Clip8(s2) << 16);
        }
    }

    // Two taps per step: eight bytes (two RGBX pixels) widened to eight ints, times each pixel's weight.
    // An odd tap count reads one pixel past the window with a zero weight; the image padding covers it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void HorizontalRowAvx2(byte* inRow, uint* outRow, ResampleCoefficients c, int* paired)
    {
        var half = Vector128.Create(Half, Half, Half, 0);
        for (var xx = 0; xx < c.OutSize; xx++)
        {
            var k = paired + (xx * c.PairCount * 8);
            var p = inRow + (c.Starts[xx] * 4);
            var pairs = (c.Counts[xx] + 1) >> 1;
            var acc = Vector256<int>.Zero;
            for (var i = 0; i < pairs; i++)
            {
                var pixels = Avx2.ConvertToVector256Int32(p + (i * 8));
                acc = Avx2.Add(acc, Avx2.MultiplyLow(pixels, Avx.LoadVector256(k + (i * 8))));
            }

            var sum = Sse2.Add(Sse2.Add(acc.GetLower(), acc.GetUpper()), half);
            outRow[xx] = PackClipped(sum);
        }
    }

    // Four taps per step: sixteen bytes (four RGBX pixels) widened to sixteen ints, times each pixel's weight.
    // Up to three pixels past the window are read with zero weights; the image padding covers them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void HorizontalRowAvx512(byte* inRow, uint* outRow, ResampleCoefficients c, int* quads)
    {
        var half = Vector128.Create(Half, Half, Half, 0);
        for (var xx = 0; xx < c.OutSize; xx++)
        {
            var k = quads + (xx * c.QuadCount * 16);
            var p = inRow + (c.Starts[xx] * 4);
            var steps = (c.Counts[xx] + 3) >> 2;
            var acc = Vector512<int>.Zero;
            for (var i = 0; i < steps; i++)
            {
                var pixels = Avx512F.ConvertToVector512Int32(Vector128.Load(p + (i * 16)));
                acc = Avx512F.Add(acc, Avx512F.MultiplyLow(pixels, Vector512.Load(k + (i * 16))));
            }

            var quarter = Avx2.Add(acc.GetLower(), acc.GetUpper());
            outRow[xx] = PackClipped(Sse2.Add(Sse2.Add(quarter.GetLower(), quarter.GetUpper()), half));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ResampleVertical(RgbxImage input, RgbxImage output, ResampleCoefficients c, int rowOffset, bool allowSimd)
    {
        var rowBytes = output.Stride;
        fixed (byte* src = input.Buffer)
        fixed (byte* dst = output.Buffer)
        fixed (int* weights = c.Weights)
        {
            for (var yy = 0; yy < output.Height; yy++)
            {
                var k = weights + (yy * c.KernelSize);
                var first = src + ((long)(c.Starts[yy] - rowOffset) * input.Stride);
                var count = c.Counts[yy];
                var outRow = dst + ((long)yy * rowBytes);
                var done = 0;
                if (allowSimd && Avx2.IsSupported)
                {
                    done = VerticalRowAvx2(first, input.Stride, outRow, rowBytes, k, count);
                }

                for (var i = done; i < rowBytes; i++)
                {
                    var s = Half;
                    for (var y = 0; y < count; y++)
                    {
                        s += first[((long)y * input.Stride) + i] * k[y];
                    }

                    outRow[i] = (byte)Clip8(s);
                }
            }
        }
    }

    // Sixteen bytes per step, every tap's weight broadcast; returns how many bytes of the row it wrote.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int VerticalRowAvx2(byte* first, int stride, byte* outRow, int rowBytes, int* k, int count)
    {
        var half = Vector256.Create(Half);
        var zero = Vector256<int>.Zero;
        var max = Vector256.Create(255);
        var i = 0;
        for (; i + 16 <= rowBytes; i += 16)
        {
            var acc0 = half;
            var acc1 = half;
            var p = first + i;
            for (var y = 0; y < count; y++)
            {
                var w = Vector256.Create(k[y]);
                acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p), w));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p + 8), w));
                p += stride;
            }

            acc0 = Avx2.Min(Avx2.Max(Avx2.ShiftRightArithmetic(acc0, ResampleCoefficients.PrecisionBits), zero), max);
            acc1 = Avx2.Min(Avx2.Max(Avx2.ShiftRightArithmetic(acc1, ResampleCoefficients.PrecisionBits), zero), max);
            var shorts = Vector256.Narrow(acc0, acc1);
            Vector256.Narrow(shorts, shorts).AsByte().GetLower().Store(outRow + i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PackClipped(Vector128<int> sum)
    {
        var shifted = Sse2.ShiftRightArithmetic(sum, ResampleCoefficients.PrecisionBits);
        var words = Sse2.PackSignedSaturate(shifted, shifted);
        return Sse2.PackUnsignedSaturate(words, words).AsUInt32().ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Clip8(int value) => (uint)Math.Clamp(value >> ResampleCoefficients.PrecisionBits, 0, 255);
}
