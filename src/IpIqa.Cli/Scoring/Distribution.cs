namespace IpIqa.Cli.Scoring;

/// <summary>Min, 10th percentile, median, 90th percentile and max of a set of scores (linear interpolation between ranks).</summary>
internal sealed record Distribution(double Min, double P10, double Median, double P90, double Max)
{
    public static Distribution? Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        return new Distribution(sorted[0], Percentile(sorted, 10), Percentile(sorted, 50), Percentile(sorted, 90), sorted[^1]);
    }

    /// <summary>The <paramref name="percent"/>th percentile of ascending <paramref name="sorted"/> (NumPy's default, linear).</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        var rank = percent / 100.0 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }
}
