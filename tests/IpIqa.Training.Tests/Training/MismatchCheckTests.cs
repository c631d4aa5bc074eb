using IpIqa.Training.Data;
using IpIqa.Training.Evaluation;

namespace IpIqa.Training.Tests.Training;

public sealed class MismatchCheckTests
{
    private static readonly IqaSample[] Samples =
    [
        new("a0.png", "one red circle", 4, 4.8, "p0"),
        new("a1.png", "one red circle", 4, 1.0, "p0"),
        new("b0.png", "two blue stars", 4, 4.5, "p1"),
        new("c0.png", "three green rings", 4, 4.1, "p2"),
    ];

    [Fact]
    public void Pairs_TakeAlignedImages_AndAPromptOfAnotherGroup()
    {
        var pairs = MismatchCheck.Pairs(Samples, 4.0, seed: 3);

        Assert.Equal(["a0.png", "b0.png", "c0.png"], pairs.Select(p => p.Sample.ImagePath));
        Assert.All(pairs, p => Assert.NotEqual(p.Sample.Prompt, p.Mismatched));
    }

    [Fact]
    public void Pairs_SameSeed_SameDraw()
    {
        Assert.Equal(MismatchCheck.Pairs(Samples, 4.0, 5).Select(p => p.Mismatched), MismatchCheck.Pairs(Samples, 4.0, 5).Select(p => p.Mismatched));
    }

    [Fact]
    public void Share_CountsWins_AndTiesAsHalf()
    {
        Assert.Equal(0.625, MismatchCheck.Share([(3.0, 1.0), (2.0, 2.0), (1.0, 3.0), (4.0, 0.5)]));
    }

    [Fact]
    public void Pairs_OnePromptOnly_IsAClearError()
    {
        var error = Assert.Throws<InvalidDataException>(() => MismatchCheck.Pairs(Samples.Take(2).ToArray(), 4.0, 0));

        Assert.Contains("at least two prompts", error.Message, StringComparison.Ordinal);
    }
}
