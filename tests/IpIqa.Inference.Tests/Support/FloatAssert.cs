namespace IpIqa.Inference.Tests.Support;

internal static class FloatAssert
{
    /// <summary>Every value within <paramref name="tolerance"/>; the failure names the first index that is not.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = Math.Abs(expected[i] - actual[i]);
            Assert.True(difference <= tolerance, $"{what}[{i}]: expected {expected[i]}, actual {actual[i]} (|diff| {difference} > {tolerance})");
        }
    }
}
