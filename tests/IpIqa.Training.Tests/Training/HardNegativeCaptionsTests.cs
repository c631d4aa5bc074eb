using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>NegCLIP-style hard negative captions for pretrain-clip: the image's own prompt with one attribute swapped.</summary>
public sealed class HardNegativeCaptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new("ipiqa-negclip");

    public HardNegativeCaptionsTests()
    {
        SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(_temp.Combine("set"), 30, 2, 16, 5), null, CancellationToken.None).GetAwaiter().GetResult();
        Samples = IqaDataset.Load(DatasetKind.Agiqa3k, Table, _temp.Combine("set", "images")).Samples;
        Aligned = File.ReadLines(Table).Where(l => l.Contains(",aligned,", StringComparison.Ordinal)).Select(l => l.Split(',')[0]).ToHashSet(StringComparer.Ordinal);
    }

    private IReadOnlyList<IqaSample> Samples { get; }

    private HashSet<string> Aligned { get; }

    private string Table => _temp.Combine("set", "data.csv");

    [Fact]
    public void Draw_GivesEachAlignedImage_FiveCaptions_EachWithOneAttributeSwapped_InOrder()
    {
        var captions = HardNegativeCaptions.Load(Samples, Table, 1);
        var batch = Enumerable.Range(0, Samples.Count).Where(i => Aligned.Contains(Path.GetFileName(Samples[i].ImagePath))).ToArray();

        var drawn = captions.Draw(Samples, batch);

        Assert.Equal(Aligned.Count, captions.Count);
        Assert.Equal(batch.Length * HardNegativeCaptions.PerImage, drawn.Length);
        for (var row = 0; row < batch.Length; row++)
        {
            var own = SyntheticLabels.ParsePrompt(Samples[batch[row]].Prompt)!;
            for (var k = 0; k < HardNegativeCaptions.PerImage; k++)
            {
                var other = SyntheticLabels.ParsePrompt(drawn[(row * HardNegativeCaptions.PerImage) + k])!;
                bool[] differs = [own.Shape != other.Shape, own.Color != other.Color, own.Count != other.Count, own.Position != other.Position, own.Style != other.Style];
                Assert.Equal([k], Enumerable.Range(0, differs.Length).Where(i => differs[i]));
            }
        }

        Assert.Equal(drawn, captions.Draw(Samples, batch));
    }

    [Fact]
    public void ImageNotDrawnAsItsPromptSays_IsNotCovered_AndGetsNoCaptions()
    {
        var captions = HardNegativeCaptions.Load(Samples, Table, 1);
        var misaligned = Enumerable.Range(0, Samples.Count).First(i => !Aligned.Contains(Path.GetFileName(Samples[i].ImagePath)));

        Assert.False(captions.Covers(Samples[misaligned]));
        var error = Assert.Throws<InvalidDataException>(() => captions.Draw(Samples, [misaligned]));
        Assert.Contains("drawn as its prompt says", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PretrainClip_WithHardNegatives_LearnsOnlyFromAlignedImages_AndItsLossFalls()
    {
        using var pipeline = new TinyPipeline(prompts: 16, imagesPerPrompt: 4);
        var aligned = File.ReadLines(pipeline.DataPath).Count(l => l.Contains(",aligned,", StringComparison.Ordinal));
        var log = new StringWriter();
        var inputs = pipeline.Inputs("clip");

        ClipPretrainStage.Run(inputs, TinyPipeline.Options with { HardNegatives = true, Epochs = 6 }, log, CancellationToken.None);

        Assert.Contains($"hard negative captions (one attribute swapped: shape, colour, count, position, style) on the {aligned} pairs", log.ToString(), StringComparison.Ordinal);
        var losses = TinyPipeline.TrainLosses(inputs.RunFolder);
        Assert.True(losses[^1] < losses[0], $"the training loss did not fall: {string.Join(", ", losses)}");
    }

    [Fact]
    public void Loss_WithHardNegatives_AddsThemToTheImageSoftmax()
    {
        using var pipeline = new TinyPipeline(prompts: 8, imagesPerPrompt: 2);
        var inputs = pipeline.Inputs("loss");
        using var model = TrainingCheckpoint.LoadModel(null, inputs.ModelConfig);
        var data = StageData.Load(inputs, TinyPipeline.Config.InputResolution, TinyPipeline.Config.ContextLength);
        var captions = HardNegativeCaptions.Load(data.Dataset.Samples, inputs.Data, 1);
        var set = data.Set("train", [.. data.Dataset.Samples.Where(captions.Covers)]);
        var batch = Enumerable.Range(0, set.Count).ToArray();
        using var scale = TorchSharp.torch.tensor(Math.Log(1 / 0.07));
        using var noGrad = TorchSharp.torch.no_grad();

        var plain = ClipPretrainStage.Loss(model, scale, set, batch, null, null, CancellationToken.None).item<float>();
        var hard = ClipPretrainStage.Loss(model, scale, set, batch, null, captions.Draw(set.Samples, batch), CancellationToken.None).item<float>();

        Assert.True(set.Count >= 2);
        Assert.True(hard > plain, $"hard {hard} <= plain {plain}");
    }

    public void Dispose() => _temp.Dispose();
}
