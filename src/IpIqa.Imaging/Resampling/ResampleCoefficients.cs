using System.Collections.Concurrent;

namespace IpIqa.Imaging.Resampling;

/// <summary>
/// Fixed-point bicubic weights for one axis, computed the way Pillow computes them: the kernel
/// (a = -0.5) is widened by the reduction factor (antialiasing), normalised to sum 1, then
/// rounded to <see cref="PrecisionBits"/> fractional bits. Instances are immutable and cached per
/// (input, output) size.
/// </summary>
internal sealed class ResampleCoefficients
{
    /// <summary>32 bits minus 8 for the sample minus 2 for negative lobes and overshoot.</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    private const double Support = 2.0;

    // Sizes come from untrusted headers; the cache is dropped when it grows past this many entries.
    private const int MaxCachedSizes = 256;

    private static readonly ConcurrentDictionary<(int In, int Out), ResampleCoefficients> Cache = new();

    private ResampleCoefficients(int inSize, int outSize)
    {
        InSize = inSize;
        OutSize = outSize;
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = Support * filterScale;
        KernelSize = ((int)Math.Ceiling(support) * 2) + 1;
        PairCount = (KernelSize + 1) / 2;
        QuadCount = (KernelSize + 3) / 4;
        Starts = new int[outSize];
        Counts = new int[outSize];
        Weights = new int[outSize * KernelSize];
        PairedWeights = new int[outSize * PairCount * 8];
        QuadWeights = new int[outSize * QuadCount * 16];

        var real = new double[KernelSize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var inverse = 1.0 / filterScale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var sum = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                real[x] = Bicubic((x + xmin - center + 0.5) * inverse);
                sum += real[x];
            }

            var row = Weights.AsSpan(xx * KernelSize, KernelSize);
            for (var x = 0; x < xmax; x++)
            {
                var w = sum != 0.0 ? real[x] / sum : real[x];
                row[x] = w < 0
                    ? (int)(-0.5 + (w * (1 << PrecisionBits)))
                    : (int)(0.5 + (w * (1 << PrecisionBits)));
            }

            Starts[xx] = xmin;
            Counts[xx] = xmax;
            for (var x = 0; x < xmax; x++)
            {
                var lane = ((xx * PairCount) + (x / 2)) * 8 + ((x % 2) * 4);
                PairedWeights.AsSpan(lane, 4).Fill(row[x]);
                QuadWeights.AsSpan((((xx * QuadCount) + (x / 4)) * 16) + ((x % 4) * 4), 4).Fill(row[x]);
            }
        }
    }

    public int InSize { get; }

    public int OutSize { get; }

    /// <summary>Most taps any output sample uses.</summary>
    public int KernelSize { get; }

    /// <summary>First input index of each output sample.</summary>
    public int[] Starts { get; }

    /// <summary>Taps each output sample uses (at most <see cref="KernelSize"/>).</summary>
    public int[] Counts { get; }

    /// <summary>Fixed-point weights, <see cref="KernelSize"/> per output sample, zero past its count.</summary>
    public int[] Weights { get; }

    /// <summary>Taps grouped in twos: per output sample, <see cref="PairCount"/> blocks of eight ints (tap 2i four times, tap 2i+1 four times).</summary>
    public int[] PairedWeights { get; }

    public int PairCount { get; }

    /// <summary>Taps grouped in fours: per output sample, <see cref="QuadCount"/> blocks of sixteen ints (each tap four times).</summary>
    public int[] QuadWeights { get; }

    public int QuadCount { get; }

    public static ResampleCoefficients For(int inSize, int outSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outSize);
        if (Cache.Count > MaxCachedSizes)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd((inSize, outSize), static key => new ResampleCoefficients(key.In, key.Out));
    }

    internal static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        return x < 2.0 ? ((((x - 5) * x) + 8) * x - 4) * a : 0.0;
    }
}
