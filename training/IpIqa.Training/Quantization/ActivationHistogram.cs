namespace IpIqa.Training.Quantization;

/// <summary>
/// The calibration values of one activation tensor, binned over its MinMax range widened to hold 0 (the
/// range the uint8 parameters are made from, <see cref="Onnx.Int8Quantization"/>), with exact zeros also
/// counted apart (a folded Relu's zeros are exact in uint8 whatever the scale). The range rules beside
/// MinMax pick a sub-range from it:
/// <list type="bullet">
/// <item><see cref="Percentile"/>: leaves out an equal share of the values at each end.</item>
/// <item><see cref="Mse"/>: the candidate with the least expected squared error, clipping
/// (<c>(v − edge)²</c> for each value outside) plus rounding (<c>step² / 12</c> for each non-zero value inside).</item>
/// <item><see cref="Entropy"/>: the candidate whose 255-step quantized histogram (values outside dropped) is
/// closest in Kullback–Leibler divergence to the window's histogram with the values outside folded into its
/// edges (TensorRT's entropy calibration, with the window shrunk on both sides of 0 in proportion and exact
/// zeros left out).</item>
/// </list>
/// Candidates shrink the widened range towards 0 in steps of 1/<see cref="Steps"/>, down to 1/16 of it
/// (where a window still spans at least <see cref="Levels"/> bins).
/// </summary>
internal sealed class ActivationHistogram
{
    public const int Bins = 4096;
    public const int Levels = 255;
    public const int Steps = 512;
    private const int SmallestStep = Steps / 16;

    private readonly long[] counts = new long[Bins];
    private readonly float low;
    private readonly float width;

    /// <param name="min">Smallest calibration value of the tensor.</param>
    /// <param name="max">Largest calibration value of the tensor.</param>
    public ActivationHistogram(float min, float max)
    {
        low = Math.Min(0f, min);
        width = (Math.Max(0f, max) - low) / Bins;
    }

    /// <summary>Values counted so far, and those exactly 0.</summary>
    public long Total { get; private set; }

    public long Zeros { get; private set; }

    public void Add(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            counts[width > 0 ? Math.Clamp((int)((v - low) / width), 0, Bins - 1) : 0]++;
            Zeros += v == 0f ? 1 : 0;
        }

        Total += values.Length;
    }

    /// <summary>For tests: sets the counts directly (<paramref name="binCounts"/> has <see cref="Bins"/> entries).</summary>
    internal void Set(long[] binCounts, long zeros)
    {
        binCounts.CopyTo(counts, 0);
        Total = binCounts.Sum();
        Zeros = zeros;
    }

    /// <summary>The range that leaves out (1 − share) / 2 of the values at each end, to bin edges.</summary>
    public (float Min, float Max) Percentile(double share)
    {
        var tail = (long)Math.Floor(Total * (1 - share) / 2);
        int first = 0, last = Bins - 1;
        for (long seen = counts[first]; seen <= tail && first < last; seen += counts[first])
        {
            first++;
        }

        for (long seen = counts[last]; seen <= tail && last > first; seen += counts[last])
        {
            last--;
        }

        return (Edge(first), Edge(last + 1));
    }

    /// <summary>The candidate range with the least expected squared quantization error.</summary>
    public (float Min, float Max) Mse() => Best(SquaredError);

    /// <summary>The candidate range whose quantized histogram diverges least from the clipped one.</summary>
    public (float Min, float Max) Entropy() => Best(Divergence);

    private (float Min, float Max) Best(Func<int, int, double> cost)
    {
        if (width <= 0 || Total == 0)
        {
            return (Edge(0), Edge(Bins));
        }

        var (bestFirst, bestEnd, bestCost) = (0, Bins, double.PositiveInfinity);
        for (var step = Steps; step >= SmallestStep; step--)
        {
            var (first, end) = Window(step);
            var c = cost(first, end);
            if (c < bestCost)
            {
                (bestFirst, bestEnd, bestCost) = (first, end, c);
            }
        }

        return (Edge(bestFirst), Edge(bestEnd));
    }

    /// <summary>Bins [first, end) of the widened range shrunk towards 0 to <paramref name="step"/> / <see cref="Steps"/>.</summary>
    private (int First, int End) Window(int step)
    {
        var zero = -low / width; // the position of 0, in bins
        var first = (int)Math.Round(zero * (Steps - step) / Steps);
        var end = (int)Math.Round(zero + ((Bins - zero) * step / Steps));
        return (first, Math.Min(Bins, Math.Max(end, first + Levels + 1)));
    }

    private float Edge(int bin) => low + (bin * width);

    private double SquaredError(int first, int end)
    {
        var (lo, hi) = (Edge(first), Edge(end));
        var step = (hi - lo) / (double)Levels;
        double error = 0;
        long inside = 0;
        for (var i = 0; i < Bins; i++)
        {
            var centre = low + ((i + 0.5) * width);
            if (i < first)
            {
                error += counts[i] * (centre - lo) * (centre - lo);
            }
            else if (i >= end)
            {
                error += counts[i] * (centre - hi) * (centre - hi);
            }
            else
            {
                inside += counts[i];
            }
        }

        return error + (Math.Max(0, inside - Zeros) * step * step / 12);
    }

    private double Divergence(int first, int end)
    {
        // P, the reference: the window's bins with the values outside folded into its edge bins. Q, the candidate:
        // the window's own bins (values outside dropped) merged into Levels groups, each group's mass spread
        // evenly over the bins where P is not empty; clipping shows as P's heavier edges. Exact zeros are left out
        // of both: uint8 holds them whatever the scale, and their spike would otherwise favour the narrowest window.
        var n = end - first;
        var zeroBin = Math.Clamp((int)(-low / width), 0, Bins - 1);
        var p = new double[n];
        var sliced = new double[n];
        for (var i = 0; i < Bins; i++)
        {
            var count = counts[i] - (i == zeroBin ? Zeros : 0);
            p[Math.Clamp(i - first, 0, n - 1)] += count;
            if (i >= first && i < end)
            {
                sliced[i - first] = count;
            }
        }

        var (pTotal, qTotal) = (p.Sum(), sliced.Sum());
        if (pTotal <= 0 || qTotal <= 0)
        {
            return pTotal <= 0 ? 0 : double.PositiveInfinity;
        }

        var floor = 1e-4 * qTotal / n; // for a bin where P has values and Q none
        double divergence = 0;
        for (var level = 0; level < Levels; level++)
        {
            var (from, to) = ((int)((long)level * n / Levels), (int)((long)(level + 1) * n / Levels));
            double mass = 0;
            var filled = 0;
            for (var i = from; i < to; i++)
            {
                mass += sliced[i];
                filled += p[i] > 0 ? 1 : 0;
            }

            for (var i = from; i < to; i++)
            {
                if (p[i] > 0)
                {
                    var q = Math.Max(mass / filled, floor);
                    divergence += p[i] / pTotal * Math.Log(p[i] / pTotal / (q / qTotal));
                }
            }
        }

        return divergence;
    }
}
