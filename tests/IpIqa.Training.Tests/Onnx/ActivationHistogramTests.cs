using IpIqa.Training.Quantization;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// The entropy and MSE range rules (#16) on synthetic activations: a Relu-like bulk (exact zeros and a
/// decaying tail) plus far outliers that stretch the MinMax range.
/// </summary>
public sealed class ActivationHistogramTests
{
    private const float Max = 4096f; // one bin per unit

    [Fact]
    public void Entropy_clips_far_outliers_and_keeps_the_bulk()
    {
        var histogram = Relu(outliers: 10);

        var (min, max) = histogram.Entropy();

        Assert.Equal(0f, min);
        Assert.InRange(max, Quantile(histogram, 0.999), Max / 2); // keeps 99.9 % of the values, drops at least half the range
    }

    [Fact]
    public void Mse_clips_a_rare_outlier_but_keeps_outliers_too_many_to_clip_cheaply()
    {
        var rare = Relu(outliers: 1).Mse();
        var many = Relu(outliers: 20_000).Mse();

        Assert.Equal(0f, rare.Min);
        Assert.InRange(rare.Max, Quantile(Relu(outliers: 1), 0.999), Max * 0.6f); // its square error costs less than coarser steps for all
        Assert.True(many.Max > Max * 0.9f, $"{many.Max}: 2 % of the values at the top are worth their range");
    }

    [Theory]
    [InlineData(CalibrationMethod.Entropy)]
    [InlineData(CalibrationMethod.Mse)]
    public void A_tensor_without_outliers_keeps_about_its_whole_range(CalibrationMethod method)
    {
        // Values spread evenly over [-1024, 1024): nothing to clip, both ends of the range stay.
        var counts = new long[ActivationHistogram.Bins];
        Array.Fill(counts, 1000, 0, 2048);
        var histogram = new ActivationHistogram(-1024f, 1024f);
        histogram.Set(counts, zeros: 0);

        var (min, max) = ActivationCalibration.Choose(histogram, method, Int8Settings.DefaultPercentile);

        Assert.InRange(min, -1024f, -900f);
        Assert.InRange(max, 900f, 1024f);
    }

    [Fact]
    public void Values_added_are_binned_over_the_range_widened_to_hold_zero_and_zeros_are_counted_apart()
    {
        var histogram = new ActivationHistogram(2f, 6f); // widened to [0, 6]
        histogram.Add([0f, 2f, 3f, 6f, 6f]);

        Assert.Equal(5, histogram.Total);
        Assert.Equal(1, histogram.Zeros);
        Assert.Equal((0f, 6f), histogram.Percentile(1.0));
        Assert.Equal(2f, histogram.Percentile(0.5000001).Min, 0.01f); // the zero is the lowest value, 2 the next
    }

    /// <summary>
    /// 300,000 exact zeros (a Relu's) and 700,000 values decaying over [0, ~1000), plus
    /// <paramref name="outliers"/> values at the top of a [0, 4096) range.
    /// </summary>
    private static ActivationHistogram Relu(int outliers)
    {
        var counts = new long[ActivationHistogram.Bins];
        counts[0] = 300_000;
        for (var i = 0; i < 1000; i++)
        {
            counts[i] += (long)Math.Round(700_000 * (Math.Exp(-i / 150.0) - Math.Exp(-(i + 1) / 150.0)));
        }

        counts[^1] += outliers;
        var histogram = new ActivationHistogram(0f, Max);
        histogram.Set(counts, zeros: 300_000);
        return histogram;
    }

    private static float Quantile(ActivationHistogram histogram, double share) => histogram.Percentile(1 - ((1 - share) * 2)).Max;
}
