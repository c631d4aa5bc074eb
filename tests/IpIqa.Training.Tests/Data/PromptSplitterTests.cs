using IpIqa.Training.Data;

namespace IpIqa.Training.Tests.Data;

public sealed class PromptSplitterTests
{
    // 100 prompt groups with 1 to 6 images each, in an interleaved file order.
    private static readonly IqaSample[] Samples =
        [.. Enumerable.Range(0, 100)
            .SelectMany(g => Enumerable.Range(0, 1 + (g % 6)).Select(k => (g, k)))
            .OrderBy(t => t.k).ThenBy(t => t.g)
            .Select(t => new IqaSample($"img_{t.k}_{t.g:D3}.png", $"prompt {t.g}", t.g % 5, t.k, $"p{t.g}"))];

    [Fact]
    public void Official_NoPromptGroupOnBothSides_AndEverySampleUsedOnce()
    {
        var splits = PromptSplitter.Split(Samples, SplitProtocol.Official(repeats: 5, seed: 42));

        Assert.Equal(5, splits.Count);
        foreach (var split in splits)
        {
            var train = split.Train.Select(s => s.PromptGroup).ToHashSet();
            Assert.DoesNotContain(split.Test, s => train.Contains(s.PromptGroup));
            Assert.Empty(split.Validation);
            Assert.Equal(Samples.Length, split.Train.Count + split.Test.Count);
        }
    }

    [Fact]
    public void Official_TestHoldsTwentyPercentOfPrompts_AndAboutTwentyPercentOfSamples()
    {
        foreach (var split in PromptSplitter.Split(Samples, SplitProtocol.Official(repeats: 5, seed: 1)))
        {
            Assert.Equal(20, split.Test.Select(s => s.PromptGroup).Distinct().Count());
            Assert.InRange(split.Test.Count / (double)Samples.Length, 0.12, 0.28);
        }
    }

    [Fact]
    public void Split_SameSeed_IsReproducible_DifferentSeedOrRepeat_Differs()
    {
        static string[] TestGroups(DatasetSplit s) => [.. s.Test.Select(x => x.PromptGroup).Distinct().Order()];
        var a = PromptSplitter.Split(Samples, SplitProtocol.Official(repeats: 3, seed: 7));
        var b = PromptSplitter.Split([.. Samples.Reverse()], SplitProtocol.Official(repeats: 3, seed: 7));
        var c = PromptSplitter.Split(Samples, SplitProtocol.Official(repeats: 3, seed: 8));

        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(TestGroups(a[r]), TestGroups(b[r]));
        }

        Assert.NotEqual(TestGroups(a[0]), TestGroups(c[0]));
        Assert.NotEqual(TestGroups(a[0]), TestGroups(a[1]));
    }

    [Fact]
    public void Honest_ValidationComesFromTrainingPrompts_AndIsDisjointFromBoth()
    {
        foreach (var split in PromptSplitter.Split(Samples, SplitProtocol.Honest(repeats: 3, seed: 3, validationFraction: 0.1)))
        {
            var train = split.Train.Select(s => s.PromptGroup).ToHashSet();
            var validation = split.Validation.Select(s => s.PromptGroup).ToHashSet();
            var test = split.Test.Select(s => s.PromptGroup).ToHashSet();
            Assert.Equal(20, test.Count);
            Assert.Equal(8, validation.Count);
            Assert.Empty(train.Intersect(validation));
            Assert.Empty(train.Intersect(test));
            Assert.Empty(validation.Intersect(test));
            Assert.Equal(Samples.Length, split.Train.Count + split.Validation.Count + split.Test.Count);
        }
    }

    [Fact]
    public void Honest_TestPromptsMatchTheOfficialSplitOfTheSameSeed()
    {
        var official = PromptSplitter.Split(Samples, SplitProtocol.Official(repeats: 2, seed: 5));
        var honest = PromptSplitter.Split(Samples, SplitProtocol.Honest(repeats: 2, seed: 5));

        Assert.Equal(official[1].Test, honest[1].Test);
    }

    [Fact]
    public void Split_TooFewPromptGroups_SaysHowMany()
    {
        var e = Assert.Throws<ArgumentException>(() => PromptSplitter.Split(Samples.Take(1).ToArray(), SplitProtocol.Official()));

        Assert.Contains("has 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0.2, 0.0)]
    [InlineData(1, 1.0, 0.0)]
    [InlineData(1, 0.2, 1.0)]
    public void Split_InvalidProtocol_IsRejected(int repeats, double test, double validation) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptSplitter.Split(Samples, new SplitProtocol(repeats, 0, test, validation)));
}
