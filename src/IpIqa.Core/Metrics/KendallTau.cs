namespace IpIqa.Core.Metrics;

/// <summary>
/// Kendall's tau-b by Knight's algorithm: sort the pairs by (x, y), count the discordant pairs as
/// the inversions of the y sequence with a merge sort, and correct for ties in x, in y and in both.
/// </summary>
internal static class KendallTau
{
    public static double? TauB(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = x.Length;
        var xs = x.ToArray();
        var ys = y.ToArray();
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => xs[a] != xs[b] ? xs[a].CompareTo(xs[b]) : ys[a].CompareTo(ys[b]));

        var sortedX = new double[n];
        var sortedY = new double[n];
        for (var i = 0; i < n; i++)
        {
            sortedX[i] = xs[order[i]];
            sortedY[i] = ys[order[i]];
        }

        var xTies = TiedPairs(sortedX, null);
        var jointTies = TiedPairs(sortedX, sortedY);
        var discordant = CountInversions(sortedY, new double[n]);
        var yTies = TiedPairs(sortedY, null); // sortedY is sorted by now.

        var total = (long)n * (n - 1) / 2;
        if (xTies == total || yTies == total)
        {
            return null;
        }

        var concordantMinusDiscordant = total - xTies - yTies + jointTies - (2 * discordant);
        var tau = concordantMinusDiscordant / Math.Sqrt(total - xTies) / Math.Sqrt(total - yTies);
        return Math.Clamp(tau, -1.0, 1.0);
    }

    /// <summary>Pairs within runs of equal values (equal in both arrays when <paramref name="second"/> is given).</summary>
    private static long TiedPairs(double[] first, double[]? second)
    {
        long pairs = 0;
        var run = 1L;
        for (var i = 1; i <= first.Length; i++)
        {
            if (i < first.Length && first[i] == first[i - 1] && (second is null || second[i] == second[i - 1]))
            {
                run++;
                continue;
            }

            pairs += run * (run - 1) / 2;
            run = 1;
        }

        return pairs;
    }

    /// <summary>Sorts <paramref name="values"/> in place and returns the pairs i &lt; j with values[i] &gt; values[j].</summary>
    private static long CountInversions(double[] values, double[] buffer)
    {
        long inversions = 0;
        for (var width = 1; width < values.Length; width *= 2)
        {
            for (var left = 0; left < values.Length - width; left += 2 * width)
            {
                var mid = left + width;
                var right = Math.Min(left + (2 * width), values.Length);
                int i = left, j = mid, k = left;
                while (i < mid && j < right)
                {
                    if (values[j] < values[i])
                    {
                        inversions += mid - i;
                        buffer[k++] = values[j++];
                    }
                    else
                    {
                        buffer[k++] = values[i++];
                    }
                }

                while (i < mid)
                {
                    buffer[k++] = values[i++];
                }

                while (j < right)
                {
                    buffer[k++] = values[j++];
                }

                Array.Copy(buffer, left, values, left, right - left);
            }
        }

        return inversions;
    }
}
