namespace IpIqa.Rescoring;

/// <summary>
/// The mean and median of one output over a stream of values seen twice: the first pass counts, sums
/// and finds the range, the second counts the values into <see cref="MedianBins"/> equal bins over it.
/// The median is read from those bins, interpolated within its bin, so it is within 1/<see cref="MedianBins"/>
/// of the range of the exact median, with memory that does not depend on the number of values.
/// </summary>
internal sealed class ScoreSeries
{
    public const int MedianBins = 16_384;

    private long[]? _bins;
    private double _sum;

    public long Count { get; private set; }

    public double Low { get; private set; } = double.PositiveInfinity;

    public double High { get; private set; } = double.NegativeInfinity;

    public double Mean => Count == 0 ? double.NaN : _sum / Count;

    /// <summary>First pass: one value.</summary>
    public void Add(double value)
    {
        Count++;
        _sum += value;
        if (double.IsFinite(value))
        {
            Low = Math.Min(Low, value);
            High = Math.Max(High, value);
        }
    }

    /// <summary>Second pass: the same value again, into its bin.</summary>
    public void Bin(double value)
    {
        if (!double.IsFinite(value) || !(High > Low))
        {
            return;
        }

        _bins ??= new long[MedianBins];
        _bins[ReportBins.Bin(value, Low, High, MedianBins)]++;
    }

    /// <summary>The median: the middle value, or the mean of the two middle values.</summary>
    public double Median()
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        if (_bins is null)
        {
            return Low <= High ? Low : double.NaN;
        }

        var mid = Count / 2;
        return Count % 2 == 1 ? ValueAt(mid) : (ValueAt(mid - 1) + ValueAt(mid)) / 2;
    }

    /// <summary>The value of rank <paramref name="rank"/> (0-based), placed evenly within its bin.</summary>
    private double ValueAt(long rank)
    {
        var width = (High - Low) / MedianBins;
        long before = 0;
        for (var b = 0; b < MedianBins; b++)
        {
            var inBin = _bins![b];
            if (rank < before + inBin)
            {
                return Low + ((b + ((rank - before + 0.5) / inBin)) * width);
            }

            before += inBin;
        }

        return High;
    }
}
