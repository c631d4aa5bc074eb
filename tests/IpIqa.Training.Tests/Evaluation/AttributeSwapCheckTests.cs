using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Evaluation;

namespace IpIqa.Training.Tests.Evaluation;

/// <summary>The attribute-swap check on a tiny synthetic set, with scorers whose answers are known.</summary>
public sealed class AttributeSwapCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new("ipiqa-swaps");

    public AttributeSwapCheckTests()
    {
        SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(_temp.Combine("set"), 40, 2, 16, 11), null, CancellationToken.None).GetAwaiter().GetResult();
    }

    private string Table => _temp.Combine("set", "data.csv");

    private IReadOnlyList<AttributeSwapCheck.LabelledImage> Images =>
        AttributeSwapCheck.AlignedImages(IqaDataset.Load(DatasetKind.Agiqa3k, Table, _temp.Combine("set", "images")).Samples, Table);

    [Fact]
    public void AlignedImages_KeepsExactlyTheRowsMarkedAligned()
    {
        var aligned = File.ReadAllLines(Table).Count(l => l.Contains(",aligned,", StringComparison.Ordinal));

        Assert.InRange(aligned, 10, 70);
        Assert.Equal(aligned, Images.Count);
    }

    [Fact]
    public void Pairs_ChangeOnlyTheNamedAttribute()
    {
        var images = Images;
        var scenes = images.ToDictionary(i => i.Sample, i => i.Scene);

        var pairs = AttributeSwapCheck.Pairs(images, seed: 4);

        Assert.Equal(images.Count * 6, pairs.Count);
        foreach (var pair in pairs)
        {
            var (own, swapped) = (scenes[pair.Sample], SyntheticLabels.ParsePrompt(pair.Prompt)!);
            bool[] differs = [own.Shape != swapped.Shape, own.Color != swapped.Color, own.Count != swapped.Count, own.Position != swapped.Position, own.Style != swapped.Style];
            if (pair.Attribute == SwapAttribute.RandomPrompt)
            {
                Assert.Contains(true, differs);
                continue;
            }

            Assert.Equal([.. Enumerable.Range(0, 5).Select(i => i == (int)pair.Attribute - 1)], differs);
            if (pair.Attribute == SwapAttribute.Count)
            {
                Assert.InRange(Math.Abs(own.Count - swapped.Count), 2, 3);
            }
        }
    }

    [Fact]
    public void Pairs_FormulaGap_IsTheGeneratorsAlignmentDifference()
    {
        foreach (var pair in AttributeSwapCheck.Pairs(Images, seed: 4))
        {
            var image = Images.Single(i => i.Sample == pair.Sample);
            var fullSpan = SyntheticMos.Alignment(AlignmentControls.None, image.Quality) - SyntheticMos.Floor;
            var expected = pair.Attribute switch
            {
                SwapAttribute.Shape => fullSpan * 0.5,
                SwapAttribute.Colour => fullSpan * 0.35,
                SwapAttribute.Count => fullSpan * 0.12 * Math.Abs(image.Scene.Count - SyntheticLabels.ParsePrompt(pair.Prompt)!.Count),
                SwapAttribute.Position => fullSpan * 0.25,
                SwapAttribute.Style => fullSpan * 0.15,
                _ => pair.FormulaGap,
            };
            Assert.Equal(expected, pair.FormulaGap, 9);
        }
    }

    [Fact]
    public async Task RunAsync_ScorerThatIgnoresThePrompt_WinsHalf_AndMissesTheGoal()
    {
        var rows = await AttributeSwapCheck.RunAsync(Images, (pairs, _) => Score(pairs, p => 1 + (Math.Abs(p.Sample.ImagePath.GetHashCode(StringComparison.Ordinal)) % 40 / 10.0)), 4, 3.0, CancellationToken.None);

        Assert.Equal(Enum.GetValues<SwapAttribute>(), rows.Select(r => r.Attribute));
        Assert.All(rows, r => Assert.Equal(0.5, r.Wins));
        Assert.All(rows, r => Assert.Equal(0.0, r.MeanGap));
        Assert.DoesNotContain(rows, r => r.MeetsGoal);
    }

    [Fact]
    public async Task RunAsync_ScorerThatFollowsTheFormula_WinsEverySingleAttributeSwap_WithTheFormulasGap()
    {
        var images = Images;
        var byImage = images.ToDictionary(i => i.Sample);

        var rows = await AttributeSwapCheck.RunAsync(images, (pairs, _) => Score(pairs, p => Formula(byImage[p.Sample], p.Prompt)), 4, 3.0, CancellationToken.None);

        Assert.Equal(Enum.GetValues<SwapAttribute>(), rows.Select(r => r.Attribute));
        foreach (var row in rows.Where(r => r.Attribute != SwapAttribute.RandomPrompt))
        {
            Assert.Equal(1.0, row.Wins);
            Assert.True(row.FormulaGap > 0, row.Label);
            Assert.Equal(row.FormulaGap, row.MeanGap, 9);
            Assert.True(row.MeetsGoal, row.Label);
        }
    }

    [Fact]
    public async Task RunAsync_ScorerThatReadsOnlyPositionAndStyle_IsAtChanceOnShape()
    {
        var images = Images;
        var byImage = images.ToDictionary(i => i.Sample);
        static double Shortcut(SceneSpec own, SceneSpec prompt) => 1 + (own.Position == prompt.Position ? 2 : 0) + (own.Style == prompt.Style ? 2 : 0);

        var rows = await AttributeSwapCheck.RunAsync(images, (pairs, _) => Score(pairs, p => Shortcut(byImage[p.Sample].Scene, SyntheticLabels.ParsePrompt(p.Prompt)!)), 4, 3.0, CancellationToken.None);

        var shape = rows.Single(r => r.Attribute == SwapAttribute.Shape);
        Assert.Equal(0.5, shape.Wins);
        Assert.Equal(1.0, shape.StillPassing);
        Assert.False(shape.MeetsGoal);
        Assert.Equal(1.0, rows.Single(r => r.Attribute == SwapAttribute.Position).Wins);
    }

    [Fact]
    public void AlignedImages_TableNotWrittenBySynth_IsAClearError()
    {
        var table = _temp.Combine("plain.csv");
        File.WriteAllText(table, "image,prompt,quality\na.png,a cat,3\n");

        var error = Assert.Throws<InvalidDataException>(() => AttributeSwapCheck.AlignedImages([new IqaSample("a.png", "a cat", 3, 3, "a")], table));

        Assert.Contains("ipiqa-train synth", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static double Formula(AttributeSwapCheck.LabelledImage image, string prompt) =>
        SyntheticMos.Alignment(SyntheticLabels.Deviation(image.Scene, SyntheticLabels.ParsePrompt(prompt)!), image.Quality);

    private static Task<IReadOnlyList<double?>> Score(IReadOnlyList<(IqaSample Sample, string Prompt)> pairs, Func<(IqaSample Sample, string Prompt), double> score) =>
        Task.FromResult<IReadOnlyList<double?>>([.. pairs.Select(p => (double?)score(p))]);
}
