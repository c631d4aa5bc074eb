using IpIqa.Core.Calibration;

namespace IpIqa.Core.Tests.Calibration;

public sealed class PercentileTableTests
{
    [Fact]
    public void Build_OnAnEvenlySpacedSet_PutsPercentilePAtTheLinearPosition()
    {
        // 201 values 0, 0.5, ..., 100: position p/100*200 is exactly value p.
        var table = PercentileTable.Build(Enumerable.Range(0, 201).Select(i => i * 0.5).Reverse());

        Assert.Equal(PercentileTable.Knots, table.Values.Count);
        for (var p = 0; p <= 100; p++)
        {
            Assert.Equal(p, table.Values[p], 12);
        }
    }

    [Fact]
    public void Build_InterpolatesBetweenNeighbours_LikeTheLinearRule()
    {
        // n = 3: percentile p sits at position p/50 between the values 10, 20, 40.
        var table = PercentileTable.Build([40, 10, 20]);

        Assert.Equal(10, table.Values[0], 12);
        Assert.Equal(10 + (0.5 * 10), table.Values[25], 12);
        Assert.Equal(20, table.Values[50], 12);
        Assert.Equal(20 + (0.5 * 20), table.Values[75], 12);
        Assert.Equal(40, table.Values[100], 12);
    }

    [Fact]
    public void Build_LeavesOutNonFiniteScores_AndNeedsTwo()
    {
        var table = PercentileTable.Build([double.NaN, 1, double.PositiveInfinity, 3]);
        Assert.Equal(1, table.Values[0]);
        Assert.Equal(3, table.Values[100]);

        var error = Assert.Throws<ArgumentException>(() => PercentileTable.Build([double.NaN, 5]));
        Assert.Contains("at least 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PercentileOf_InvertsRawAt_OnAStrictlyAscendingTable()
    {
        var table = PercentileTable.Build(Enumerable.Range(0, 1000).Select(i => Math.Sqrt(i)));

        foreach (var p in new[] { 0.0, 0.25, 1, 7.5, 33.3, 50, 99.9, 100 })
        {
            Assert.Equal(p, table.PercentileOf(table.RawAt(p)), 9);
        }
    }

    [Fact]
    public void PercentileOf_BetweenTwoKnots_IsLinear()
    {
        var values = Enumerable.Range(0, 101).Select(i => i * 2.0).ToArray();
        var table = PercentileTable.FromValues(values, "quality");

        Assert.Equal(10.25, table.PercentileOf(20.5), 12);
        Assert.Equal(0, table.PercentileOf(-3));
        Assert.Equal(100, table.PercentileOf(1e9));
        Assert.True(double.IsNaN(table.PercentileOf(double.NaN)));
    }

    [Fact]
    public void PercentileOf_ARunOfEqualKnots_IsTheMiddleOfTheRun()
    {
        // Knots 0..39 rise to 39, knots 40..60 all equal 40, then rise again.
        var values = Enumerable.Range(0, 101).Select(i => i < 40 ? i : i <= 60 ? 40.0 : i - 20.0).ToArray();
        var table = PercentileTable.FromValues(values, "alignment");

        Assert.Equal(50, table.PercentileOf(40), 12);
        Assert.Equal(39.5, table.PercentileOf(39.5), 12);
        Assert.Equal(60.5, table.PercentileOf(40.5), 12);
    }

    [Fact]
    public void FromValues_RejectsAMalformedTable_NamingTheOutputAndIndex()
    {
        var shortTable = Assert.Throws<InvalidDataException>(() => PercentileTable.FromValues([1, 2, 3], "quality"));
        Assert.Contains("'quality' has 3 values", shortTable.Message, StringComparison.Ordinal);

        var values = Enumerable.Range(0, 101).Select(i => (double)i).ToArray();
        values[57] = 3;
        var descending = Assert.Throws<InvalidDataException>(() => PercentileTable.FromValues(values, "alignment"));
        Assert.Contains("value 57", descending.Message, StringComparison.Ordinal);

        values[57] = double.NaN;
        var nan = Assert.Throws<InvalidDataException>(() => PercentileTable.FromValues(values, "alignment"));
        Assert.Contains("value 57 is not a finite number", nan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawAt_RefusesAPercentileOutsideZeroToHundred()
    {
        var table = PercentileTable.Build([1, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.RawAt(100.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.RawAt(double.NaN));
    }
}
