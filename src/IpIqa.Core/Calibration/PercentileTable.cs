namespace IpIqa.Core.Calibration;

/// <summary>
/// The raw score at percentiles 0, 1, ..., 100 of a reference set (101 ascending values), and the
/// piecewise-linear maps between raw scores and percentiles it defines.
/// <para>Building uses the linear rule (NumPy's default <c>percentile</c>): percentile p of n sorted
/// values sits at position p/100 × (n − 1), interpolated between its neighbours.</para>
/// <para>A raw score maps back by inverting that polyline: between knots k and k+1 it is
/// k + (raw − t[k]) / (t[k+1] − t[k]); on a run of equal knots it is the middle of the run;
/// below the first knot 0, above the last 100.</para>
/// </summary>
public sealed class PercentileTable
{
    public const int Knots = 101;

    private readonly double[] _values;

    private PercentileTable(double[] values) => _values = values;

    public IReadOnlyList<double> Values => _values;

    /// <summary>Wraps a stored table, checking it has 101 finite ascending values.</summary>
    /// <exception cref="InvalidDataException">The table is malformed; the message names <paramref name="output"/> and the bad index.</exception>
    public static PercentileTable FromValues(IReadOnlyList<double> values, string output)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Knots)
        {
            throw new InvalidDataException($"Calibration of '{output}' has {values.Count} values; it needs {Knots} (percentiles 0 to 100).");
        }

        for (var i = 0; i < Knots; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new InvalidDataException($"Calibration of '{output}': value {i} is not a finite number.");
            }

            if (i > 0 && values[i] < values[i - 1])
            {
                throw new InvalidDataException($"Calibration of '{output}': value {i} ({values[i]}) is below value {i - 1} ({values[i - 1]}); the table must ascend.");
            }
        }

        return new PercentileTable([.. values]);
    }

    /// <summary>The table of a reference set of raw scores (non-finite scores are left out).</summary>
    /// <exception cref="ArgumentException">Fewer than two finite scores.</exception>
    public static PercentileTable Build(IEnumerable<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var sorted = scores.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length < 2)
        {
            throw new ArgumentException($"A percentile table needs at least 2 finite scores; the reference set has {sorted.Length}.", nameof(scores));
        }

        var values = new double[Knots];
        for (var p = 0; p < Knots; p++)
        {
            values[p] = Interpolate(sorted, p / 100.0 * (sorted.Length - 1));
        }

        return new PercentileTable(values);
    }

    /// <summary>The percentile (0 to 100) of <paramref name="raw"/>.</summary>
    public double PercentileOf(double raw)
    {
        if (double.IsNaN(raw))
        {
            return double.NaN;
        }

        if (raw < _values[0])
        {
            return 0;
        }

        if (raw > _values[^1])
        {
            return 100;
        }

        // First knot >= raw, and last knot <= raw.
        var first = LowerBound(raw);
        if (_values[first] == raw)
        {
            var last = first;
            while (last + 1 < Knots && _values[last + 1] == raw)
            {
                last++;
            }

            return (first + last) / 2.0;
        }

        var k = first - 1;
        return k + ((raw - _values[k]) / (_values[first] - _values[k]));
    }

    /// <summary>The raw score at <paramref name="percentile"/> (0 to 100), interpolated between knots.</summary>
    public double RawAt(double percentile)
    {
        if (!(percentile is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is between 0 and 100.");
        }

        return Interpolate(_values, percentile);
    }

    private int LowerBound(double raw)
    {
        int lo = 0, hi = Knots - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_values[mid] < raw)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double Interpolate(double[] sorted, double position)
    {
        var lo = (int)Math.Floor(position);
        if (lo >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        var fraction = position - lo;
        return sorted[lo] + (fraction * (sorted[lo + 1] - sorted[lo]));
    }
}
