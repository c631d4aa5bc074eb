using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Training;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Training;

/// <summary>The swap-ranking term of fine-tuning (#14): own prompt above each one-attribute swap by a share of the formula's gap.</summary>
public sealed class SwapRankingTests : IDisposable
{
    private readonly TempDirectory _temp = new("ipiqa-rank");

    public SwapRankingTests()
    {
        SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(_temp.Combine("set"), 40, 2, 16, 13), null, CancellationToken.None).GetAwaiter().GetResult();
        Samples = IqaDataset.Load(DatasetKind.Agiqa3k, Table, _temp.Combine("set", "images")).Samples;
    }

    private IReadOnlyList<IqaSample> Samples { get; }

    private string Table => _temp.Combine("set", "data.csv");

    [Fact]
    public void Draw_RanksOnlyAlignedImages_OwnPromptThenEachAttributeSwapped_WithTheFormulasGapAsMargin()
    {
        var ranking = SwapRanking.Load(Samples, Table, 0.5, 7);
        // name -> adj1 (the quality controls) of the images drawn as their prompt says
        var aligned = File.ReadLines(Table).Where(l => l.Contains(",aligned,", StringComparison.Ordinal)).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[^7]);
        var batch = Enumerable.Range(0, Samples.Count).ToArray();

        var draw = ranking.Draw(Samples, batch);

        var expectedRows = batch.Where(i => aligned.ContainsKey(Path.GetFileName(Samples[i].ImagePath))).Select(i => (long)i).ToArray();
        Assert.NotEmpty(expectedRows);
        Assert.True(expectedRows.Length < Samples.Count, "the set should hold images not drawn as their prompt says");
        Assert.Equal(expectedRows, draw.Rows);
        Assert.Equal(expectedRows.Length * SwapRanking.PromptsPerImage, draw.Prompts.Length);
        Assert.Equal(expectedRows.Length * HardNegativeCaptions.PerImage, draw.Margins.Length);
        for (var r = 0; r < draw.Rows.Length; r++)
        {
            var sample = Samples[(int)draw.Rows[r]];
            var matched = SyntheticMos.Alignment(AlignmentControls.None, SyntheticLabels.ParseQuality(aligned[Path.GetFileName(sample.ImagePath)])!);
            var own = SyntheticLabels.ParsePrompt(draw.Prompts[r * SwapRanking.PromptsPerImage])!;
            Assert.Equal(SyntheticLabels.ParsePrompt(sample.Prompt), own);
            for (var a = 0; a < HardNegativeCaptions.PerImage; a++)
            {
                var other = SyntheticLabels.ParsePrompt(draw.Prompts[(r * SwapRanking.PromptsPerImage) + 1 + a])!;
                bool[] differs = [own.Shape != other.Shape, own.Color != other.Color, own.Count != other.Count, own.Position != other.Position, own.Style != other.Style];
                Assert.Equal(a, Array.IndexOf(differs, true));
                Assert.Equal(1, differs.Count(d => d));
                var kept = a switch { 0 => 0.5, 1 => 0.65, 2 => 1 - (0.12 * Math.Abs(own.Count - other.Count)), 3 => 0.75, _ => 0.85 };
                Assert.Equal(0.5 * (matched - SyntheticMos.Floor) * (1 - kept), draw.Margins[(r * HardNegativeCaptions.PerImage) + a], 5);
            }
        }
    }

    [Fact]
    public void Draw_IsSeededByTheBatch()
    {
        var ranking = SwapRanking.Load(Samples, Table, 1, 7);
        var batch = Enumerable.Range(0, Samples.Count).ToArray();

        Assert.Equal(ranking.Draw(Samples, batch).Prompts, ranking.Draw(Samples, batch).Prompts);
        Assert.NotEqual(ranking.Draw(Samples, batch).Prompts, SwapRanking.Load(Samples, Table, 1, 8).Draw(Samples, batch).Prompts);
    }

    [Fact]
    public void Loss_IsTheMeanHinge_AndPushesTheOwnPromptUpAndTheSwapsDown()
    {
        using var scope = NewDisposeScope();
        // own 3; swaps below by 2, 0.1, -0.5, 3 and 0; margin 1 each: hinges 0, 0.9, 1.5, 0, 1
        var scores = tensor(new float[] { 3, 1, 2.9f, 3.5f, 0, 3 }).requires_grad_();

        var loss = SwapRanking.Loss(scores, [1, 1, 1, 1, 1]);
        loss.backward();

        Assert.Equal(3.4 / 5, loss.item<float>(), 5);
        var gradient = scores.grad!.data<float>().ToArray();
        Assert.True(gradient[0] < 0, "the own prompt's score is not pushed up");
        Assert.Equal([0, 0.2f, 0.2f, 0, 0.2f], gradient[1..].Select(g => MathF.Round(g, 5)));
    }

    [Fact]
    public void Ranking_IsOffByDefault_AndOnATableNotWrittenBySynth_IsAClearError()
    {
        var plain = _temp.Combine("plain.csv");
        File.WriteAllText(plain, "image,prompt,quality,alignment\n");

        Assert.Null(FinetuneStage.Ranking(new TrainingOptions(), Samples, 0, TextWriter.Null, Table));
        var error = Assert.Throws<InvalidDataException>(() => FinetuneStage.Ranking(new TrainingOptions { SwapRankingWeight = 1 }, Samples, 0, TextWriter.Null, plain));
        Assert.Contains("ipiqa-train synth", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
