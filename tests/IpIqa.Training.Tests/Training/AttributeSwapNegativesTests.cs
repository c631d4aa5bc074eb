using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>Hard negatives that swap one graded attribute, with the generator formula's target for the swapped prompt.</summary>
public sealed class AttributeSwapNegativesTests : IDisposable
{
    private readonly TempDirectory _temp = new("ipiqa-hard");

    public AttributeSwapNegativesTests()
    {
        SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(_temp.Combine("set"), 40, 2, 16, 13), null, CancellationToken.None).GetAwaiter().GetResult();
        Samples = IqaDataset.Load(DatasetKind.Agiqa3k, Table, _temp.Combine("set", "images")).Samples;
    }

    private IReadOnlyList<IqaSample> Samples { get; }

    private string Table => _temp.Combine("set", "data.csv");

    [Fact]
    public void TryDraw_AlignedImage_SwapsOneAttribute_WithTheFormulasTarget()
    {
        var negatives = AttributeSwapNegatives.Load(Samples, Table, 0.999);
        // name -> adj1 (the quality controls) of the images drawn as their prompt says
        var aligned = File.ReadLines(Table).Where(l => l.Contains(",aligned,", StringComparison.Ordinal)).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[^7]);
        var random = new Random(3);
        var swapped = new HashSet<int>();

        foreach (var sample in Samples.Where(s => aligned.ContainsKey(Path.GetFileName(s.ImagePath))))
        {
            var matched = SyntheticMos.Alignment(AlignmentControls.None, SyntheticLabels.ParseQuality(aligned[Path.GetFileName(sample.ImagePath)])!);
            var draw = negatives.TryDraw(sample, random)!.Value;
            var (own, other) = (SyntheticLabels.ParsePrompt(sample.Prompt)!, SyntheticLabels.ParsePrompt(draw.Prompt)!);
            bool[] differs = [own.Shape != other.Shape, own.Color != other.Color, own.Count != other.Count, own.Position != other.Position, own.Style != other.Style];
            Assert.Equal(1, differs.Count(d => d));
            var kept = differs[0] ? 0.5 : differs[1] ? 0.65 : differs[2] ? 1 - (0.12 * Math.Abs(own.Count - other.Count)) : differs[3] ? 0.75 : 0.85;
            Assert.Equal(SyntheticMos.Floor + ((matched - SyntheticMos.Floor) * kept), draw.Alignment, 9);
            swapped.Add(Array.IndexOf(differs, true));
        }

        Assert.Equal([0, 1, 2, 3, 4], swapped.Order());
    }

    [Fact]
    public void TryDraw_WithWeights_SwapsOnlyTheWeightedAttributes()
    {
        var options = new TrainingOptions { AttributeSwapProbability = 0.999, SwapWeights = new Dictionary<string, double> { ["shape"] = 2, ["colour"] = 0, ["count"] = 1, ["position"] = 0, ["style"] = 0 } };
        var negatives = FinetuneStage.Negatives(options, Samples, 0, TextWriter.Null, Table)!;
        var swapped = new List<int>();

        for (var i = 0; i < Samples.Count; i++)
        {
            var draw = negatives.Draw([i]);
            if (draw.Mismatched[0])
            {
                var (own, other) = (SyntheticLabels.ParsePrompt(Samples[i].Prompt)!, SyntheticLabels.ParsePrompt(draw.Prompts[0])!);
                bool[] differs = [own.Shape != other.Shape, own.Color != other.Color, own.Count != other.Count, own.Position != other.Position, own.Style != other.Style];
                Assert.Equal(1, differs.Count(d => d));
                swapped.Add(Array.IndexOf(differs, true));
            }
        }

        Assert.Equal([0, 2], swapped.Distinct().Order());
        Assert.True(swapped.Count(a => a == 0) > swapped.Count(a => a == 2), $"shape (weight 2) was swapped {swapped.Count(a => a == 0)} times, count (weight 1) {swapped.Count(a => a == 2)}");
    }

    [Fact]
    public void TryDraw_ImageNotDrawnAsItsPromptSays_IsNeverSwapped()
    {
        var negatives = AttributeSwapNegatives.Load(Samples, Table, 0.999);
        var misaligned = File.ReadLines(Table).Skip(1).Where(l => !l.Contains(",aligned,", StringComparison.Ordinal)).Select(l => l.Split(',')[0]).ToHashSet();
        var random = new Random(3);

        Assert.NotEmpty(misaligned);
        Assert.All(Samples.Where(s => misaligned.Contains(Path.GetFileName(s.ImagePath))), s => Assert.Null(negatives.TryDraw(s, random)));
    }

    [Fact]
    public void Negatives_WithAttributeSwaps_DrawThem_WhereARandomPromptWasNotDrawn()
    {
        var sampler = FinetuneStage.Negatives(new TrainingOptions { MismatchProbability = 0.2, MismatchAlignment = 1.44, AttributeSwapProbability = 0.9 }, Samples, 0, TextWriter.Null, Table)!;
        var batch = Enumerable.Range(0, Samples.Count).ToArray();

        var draw = sampler.Draw(batch);

        var swaps = batch.Where(i => draw.Mismatched[i] && draw.Alignment[i] != Math.Min(Samples[i].Alignment!.Value, 1.44)).ToArray();
        Assert.NotEmpty(swaps);
        Assert.All(swaps, i =>
        {
            var (own, other) = (SyntheticLabels.ParsePrompt(Samples[i].Prompt)!, SyntheticLabels.ParsePrompt(draw.Prompts[i])!);
            Assert.Equal(1, new[] { own.Shape != other.Shape, own.Color != other.Color, own.Count != other.Count, own.Position != other.Position, own.Style != other.Style }.Count(d => d));
        });
    }

    [Fact]
    public void Negatives_AttributeSwapsOnATableNotWrittenBySynth_IsAClearError()
    {
        var plain = _temp.Combine("plain.csv");
        File.WriteAllText(plain, "image,prompt,quality,alignment\n");

        var error = Assert.Throws<InvalidDataException>(() => FinetuneStage.Negatives(new TrainingOptions { AttributeSwapProbability = 0.5 }, Samples, 0, TextWriter.Null, plain));

        Assert.Contains("ipiqa-train synth", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
