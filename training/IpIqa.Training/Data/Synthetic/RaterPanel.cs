namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// Simulated subjective study: each of <see cref="Raters"/> raters scores true MOS + N(0, <see cref="RaterSigma"/>),
/// clipped to [0, 5]; the table gets the mean (MOS) and the sample standard deviation.
/// </summary>
public static class RaterPanel
{
    public const int Raters = 15;
    public const double RaterSigma = 0.6;

    public static (double Mos, double Std) Rate(double trueMos, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<double> ratings = stackalloc double[Raters];
        var sum = 0.0;
        for (var i = 0; i < Raters; i++)
        {
            ratings[i] = Math.Clamp(trueMos + (RaterSigma * Gaussian(random)), 0, SyntheticMos.Max);
            sum += ratings[i];
        }

        var mean = sum / Raters;
        var squares = 0.0;
        foreach (var r in ratings)
        {
            squares += (r - mean) * (r - mean);
        }

        return (mean, Math.Sqrt(squares / (Raters - 1)));
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
