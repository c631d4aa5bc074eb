namespace IpIqa.Rescoring;

/// <summary>
/// The report's charts, binned here rather than in the browser: each histogram is a fixed number of
/// counts over one range, and the quality-vs-alignment scatter is a fixed grid of counts (a 2-D
/// density). The report's charts (<see cref="ReportCharts"/>) are drawn from these counts only, so its size
/// does not depend on the number of images (#19).
/// </summary>
internal static class ReportBins
{
    public const int HistogramBins = 40;
    public const int DensityColumns = 60;
    public const int DensityRows = 30;

    /// <summary>The lowest and highest finite value of both series; [0, 1] when there is none.</summary>
    public static (double Low, double High) Range(IEnumerable<double> values, IEnumerable<double>? more = null)
    {
        var (low, high) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var v in more is null ? values : values.Concat(more))
        {
            if (double.IsFinite(v))
            {
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
        }

        return low > high ? (0, 1) : high == low ? (low, low + 1) : (low, high);
    }

    /// <summary>The bin of <paramref name="value"/> among <paramref name="bins"/> equal bins over [low, high]; the top edge falls in the last bin.</summary>
    public static int Bin(double value, double low, double high, int bins) =>
        Math.Clamp((int)Math.Floor((value - low) / (high - low) * bins), 0, bins - 1);

    /// <summary>How many finite values fall in each of <paramref name="bins"/> equal bins over [low, high].</summary>
    public static long[] Histogram(IEnumerable<double> values, double low, double high, int bins = HistogramBins)
    {
        var counts = new long[bins];
        foreach (var v in values)
        {
            Count(counts, v, (low, high));
        }

        return counts;
    }

    /// <summary>Counts of (x, y) pairs on a <see cref="DensityColumns"/> × <see cref="DensityRows"/> grid, row by row from the lowest y.</summary>
    public static long[] Density(IEnumerable<(double X, double Y)> points, (double Low, double High) x, (double Low, double High) y)
    {
        var counts = new long[DensityColumns * DensityRows];
        foreach (var (px, py) in points)
        {
            CountPoint(counts, px, py, x, y);
        }

        return counts;
    }

    /// <summary>Counts one (x, y) pair into a density grid of <see cref="DensityColumns"/> × <see cref="DensityRows"/>; a pair that is not finite is not counted.</summary>
    public static void CountPoint(long[] counts, double px, double py, (double Low, double High) x, (double Low, double High) y)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (double.IsFinite(px) && double.IsFinite(py))
        {
            counts[(Bin(py, y.Low, y.High, DensityRows) * DensityColumns) + Bin(px, x.Low, x.High, DensityColumns)]++;
        }
    }

    /// <summary>Counts one value into <paramref name="counts"/>, equal bins over <paramref name="range"/>; a value that is not finite is not counted.</summary>
    public static void Count(long[] counts, double value, (double Low, double High) range)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (double.IsFinite(value))
        {
            counts[Bin(value, range.Low, range.High, counts.Length)]++;
        }
    }
}
