namespace IpIqa.Training.Tests.Support;

/// <summary>Element-wise comparison with an absolute tolerance that reports the worst element.</summary>
internal static class FloatAssert
{
    /// <returns>The largest absolute difference.</returns>
    public static double Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}.");
        var worst = 0.0;
        var at = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs((double)expected[i] - actual[i]);
            if (double.IsNaN(diff))
            {
                diff = double.PositiveInfinity;
            }

            if (diff > worst)
            {
                worst = diff;
                at = i;
            }
        }

        Assert.True(
            worst <= tolerance,
            $"{what}: max |diff| {worst:E3} at index {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}) exceeds {tolerance:E1}.");
        return worst;
    }
}
