using IpIqa.Core.Calibration;

namespace IpIqa.Core.Tests.Calibration;

public sealed class ThresholdSpecTests
{
    [Theory]
    [InlineData("0.42", 0.42, false)]
    [InlineData("p20", 20, true)]
    [InlineData(" P7.5 ", 7.5, true)]
    public void Parse_ReadsAScoreOrAPercentile(string text, double value, bool percentile)
    {
        var spec = ThresholdSpec.Parse(text, "--quality-threshold");
        Assert.Equal(value, spec.Value);
        Assert.Equal(percentile, spec.IsPercentile);
    }

    [Theory]
    [InlineData("p101")]
    [InlineData("abc")]
    [InlineData("p")]
    [InlineData("NaN")]
    public void Parse_RefusesOtherText_NamingTheOption(string text)
    {
        var error = Assert.Throws<FormatException>(() => ThresholdSpec.Parse(text, "--alignment-threshold"));
        Assert.Contains("--alignment-threshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_APercentile_IsTheTablesRawScoreThere()
    {
        var table = PercentileTable.Build(Enumerable.Range(0, 201).Select(i => i / 200.0));

        Assert.Equal(0.2, ThresholdSpec.Parse("p20", "q").Resolve(table, "quality"), 12);
        Assert.Equal(0.33, ThresholdSpec.Parse("0.33", "q").Resolve(null, "quality"));
    }

    [Fact]
    public void Resolve_APercentileWithoutCalibration_SaysSo()
    {
        var error = Assert.Throws<InvalidDataException>(() => ThresholdSpec.Parse("p20", "q").Resolve(null, "quality"));
        Assert.Contains("no calibration", error.Message, StringComparison.Ordinal);
    }
}
