using System.Text.Json;
using IpIqa.Core.Metrics;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Metrics;

public sealed class CorrelationTests
{
    private const string CasesFile = "metrics_cases.json";
    private const double Tolerance = 1e-9;

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        if (File.Exists(Fixtures.PathOf(CasesFile)))
        {
            for (var i = 0; i < ReadCases().GetArrayLength(); i++)
            {
                data.Add(i);
            }
        }

        return data;
    }

    [FixtureTheory(CasesFile)]
    [MemberData(nameof(CaseIndices))]
    public void Coefficients_ReferenceCase_EqualScipy(int index)
    {
        var reference = ReadCases()[index];
        var pred = reference.GetProperty("pred").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var mos = reference.GetProperty("mos").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        AssertClose(reference.GetProperty("plcc"), Correlation.Pearson(pred, mos), "plcc");
        AssertClose(reference.GetProperty("srcc"), Correlation.Spearman(pred, mos), "srcc");
        AssertClose(reference.GetProperty("krcc"), Correlation.KendallTauB(pred, mos), "krcc");
    }

    [Fact]
    public void AllCoefficients_ConstantInput_AreUndefined()
    {
        double[] constant = [2, 2, 2, 2];
        double[] varying = [1, 2, 3, 4];

        Assert.Null(Correlation.Pearson(constant, varying));
        Assert.Null(Correlation.Spearman(varying, constant));
        Assert.Null(Correlation.KendallTauB(constant, varying));
        Assert.Null(Correlation.KendallTauB(varying, constant));
    }

    [Fact]
    public void AllCoefficients_FewerThanTwoPairs_AreUndefined()
    {
        Assert.Null(Correlation.Pearson([1.0], [2.0]));
        Assert.Null(Correlation.Spearman([], []));
        Assert.Null(Correlation.KendallTauB([1.0], [2.0]));
    }

    [Fact]
    public void Coefficients_LengthMismatch_ThrowWithBothLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => Correlation.Spearman([1.0, 2.0, 3.0], [1.0, 2.0]));

        Assert.Contains("3 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coefficients_NaN_ThrowsNamingThePair()
    {
        var error = Assert.Throws<ArgumentException>(() => Correlation.Pearson([1.0, double.NaN, 3.0], [1.0, 2.0, 3.0]));

        Assert.Contains("Pair 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7, 40, 5)]
    [InlineData(11, 200, 3)]
    [InlineData(13, 500, 1000)]
    public void KendallTauB_RandomDataWithTies_EqualsTheQuadraticDefinition(int seed, int n, int levels)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(_ => (double)random.Next(levels)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => x[i] + random.Next(levels)).ToArray();

        Assert.Equal(QuadraticTauB(x, y), Correlation.KendallTauB(x, y)!.Value, 12);
    }

    /// <summary>Tau-b straight from its definition: (C - D) / sqrt((n0 - n1)(n0 - n2)).</summary>
    private static double QuadraticTauB(double[] x, double[] y)
    {
        long concordant = 0, discordant = 0, xOnlyTies = 0, yOnlyTies = 0;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i + 1; j < x.Length; j++)
            {
                var product = Math.Sign(x[i] - x[j]) * Math.Sign(y[i] - y[j]);
                if (product > 0)
                {
                    concordant++;
                }
                else if (product < 0)
                {
                    discordant++;
                }
                else if (x[i] == x[j] && y[i] != y[j])
                {
                    xOnlyTies++;
                }
                else if (y[i] == y[j] && x[i] != x[j])
                {
                    yOnlyTies++;
                }
            }
        }

        // Pairs tied in both count in neither denominator term.
        return (concordant - discordant) / Math.Sqrt((double)(concordant + discordant + yOnlyTies) * (concordant + discordant + xOnlyTies));
    }

    private static void AssertClose(JsonElement expected, double? actual, string name)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.True(actual is null, $"{name}: scipy gives NaN, got {actual}");
            return;
        }

        Assert.True(actual is not null, $"{name}: scipy gives {expected.GetDouble()}, got null");
        Assert.True(Math.Abs(expected.GetDouble() - actual.Value) <= Tolerance, $"{name}: scipy gives {expected.GetDouble():R}, got {actual.Value:R}");
    }

    private static JsonElement ReadCases()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(CasesFile)));
        return document.RootElement.GetProperty("cases").Clone();
    }
}
