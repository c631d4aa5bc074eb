using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>The report's chart bins: ranges, edges, and values that are not numbers.</summary>
public sealed class ReportBinsTests
{
    [Fact]
    public void Range_IsTheLowestAndHighestFiniteValueOfBothSeries()
    {
        Assert.Equal((-0.5, 2.0), ReportBins.Range([0.3, double.NaN, 2.0], [-0.5, double.PositiveInfinity]));
        Assert.Equal((0.0, 1.0), ReportBins.Range([], null));
        Assert.Equal((0.7, 1.7), ReportBins.Range([0.7, 0.7]));
    }

    [Fact]
    public void Histogram_CountsEveryFiniteValueOnce_TheTopEdgeInTheLastBin()
    {
        var counts = ReportBins.Histogram([0.0, 0.24, 0.25, 0.5, 0.99, 1.0, double.NaN], 0, 1, bins: 4);

        Assert.Equal([2L, 1, 1, 2], counts);
    }

    [Fact]
    public void Density_PutsEachPointInItsCell_RowByRowFromTheLowestY()
    {
        var counts = ReportBins.Density([(0.0, 0.0), (1.0, 1.0), (1.0, 1.0), (double.NaN, 0.5)], (0, 1), (0, 1));

        Assert.Equal(ReportBins.DensityColumns * ReportBins.DensityRows, counts.Length);
        Assert.Equal(1, counts[0]);
        Assert.Equal(2, counts[^1]);
        Assert.Equal(3, counts.Sum());
    }
}
