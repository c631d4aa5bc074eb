namespace IpIqa.Core.Metrics;

/// <summary>
/// The correlation coefficients IQA papers report, computed as scipy 1.10.1 does:
/// PLCC (<c>pearsonr</c>), SRCC (<c>spearmanr</c>, average ranks for ties) and KRCC
/// (<c>kendalltau</c>, tau-b). Each returns null where scipy returns NaN: a constant input,
/// or fewer than two pairs.
/// </summary>
public static class Correlation
{
    /// <summary>Pearson's linear correlation coefficient (PLCC).</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a value is NaN or infinite.</exception>
    public static double? Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckInputs(x, y);
        if (x.Length < 2 || IsConstant(x) || IsConstant(y))
        {
            return null;
        }

        if (x.Length == 2)
        {
            // scipy returns the exact sign for two points.
            return Math.Sign(x[1] - x[0]) * Math.Sign(y[1] - y[0]);
        }

        return CenteredCorrelation(x, y);
    }

    /// <summary>Spearman's rank correlation coefficient (SRCC): Pearson's on average ranks.</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a value is NaN or infinite.</exception>
    public static double? Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckInputs(x, y);
        if (x.Length < 2 || IsConstant(x) || IsConstant(y))
        {
            return null;
        }

        return CenteredCorrelation(Ranking.AverageRanks(x), Ranking.AverageRanks(y));
    }

    /// <summary>Kendall's tau-b (KRCC), in O(n log n) (Knight's algorithm).</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a value is NaN or infinite.</exception>
    public static double? KendallTauB(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckInputs(x, y);
        return x.Length < 2 ? null : KendallTau.TauB(x, y);
    }

    /// <summary>r = Σ(x-x̄)(y-ȳ) / (‖x-x̄‖ ‖y-ȳ‖), clipped to [-1, 1].</summary>
    private static double CenteredCorrelation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var xMean = Mean(x);
        var yMean = Mean(y);
        double xx = 0, yy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - xMean;
            var dy = y[i] - yMean;
            xx += dx * dx;
            yy += dy * dy;
        }

        var xNorm = Math.Sqrt(xx);
        var yNorm = Math.Sqrt(yy);
        double r = 0;
        for (var i = 0; i < x.Length; i++)
        {
            r += (x[i] - xMean) / xNorm * ((y[i] - yMean) / yNorm);
        }

        return Math.Clamp(r, -1.0, 1.0);
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    private static bool IsConstant(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (value != values[0])
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckInputs(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The two samples differ in length: {x.Length} and {y.Length}.");
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"Pair {i} is ({x[i]}, {y[i]}); correlations need finite values.");
            }
        }
    }
}
