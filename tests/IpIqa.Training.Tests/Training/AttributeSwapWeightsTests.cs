using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary><c>attribute_swap_weights</c>: which attribute a fine-tuning attribute-swap negative changes (#14).</summary>
public sealed class AttributeSwapWeightsTests
{
    [Fact]
    public void Resolve_KeysLeftOut_WeighOne_InTheOrderOfTheSwaps()
    {
        var weights = AttributeSwapWeights.Resolve(new Dictionary<string, double> { ["shape"] = 3, ["position"] = 0.5 });

        Assert.Equal([3, 1, 1, 0.5, 1], weights!);
        Assert.Null(AttributeSwapWeights.Resolve(null));
    }

    [Theory]
    [InlineData("size", 1, "unknown key 'size'")]
    [InlineData("shape", -1, "attribute_swap_weights.shape = -1")]
    [InlineData("count", double.NaN, "attribute_swap_weights.count = NaN")]
    public void Resolve_BadEntry_IsAnErrorNamingIt(string key, double value, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => AttributeSwapWeights.Resolve(new Dictionary<string, double> { [key] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AllZero_IsAnError()
    {
        var zero = AttributeSwapWeights.Keys.ToDictionary(k => k, _ => 0.0);

        var error = Assert.Throws<InvalidDataException>(() => AttributeSwapWeights.Resolve(zero));

        Assert.Contains("all 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Draw_FollowsTheWeights_AndNeverDrawsAZeroWeight()
    {
        double[] weights = [3, 0, 2, 0, 1];
        var random = new Random(5);
        var counts = new int[5];

        for (var i = 0; i < 6000; i++)
        {
            counts[AttributeSwapWeights.Draw(weights, random)]++;
        }

        Assert.Equal(0, counts[1] + counts[3]);
        // expected 3000, 2000, 1000; a seeded draw, so the counts are fixed, and far inside these bounds
        Assert.InRange(counts[0], 2850, 3150);
        Assert.InRange(counts[2], 1850, 2150);
        Assert.InRange(counts[4], 900, 1100);
    }
}
