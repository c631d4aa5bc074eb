using IpIqa.Training.Data;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>
/// The honest protocol selects its epoch on validation prompts and opens the test split only once, after
/// training, with the selected weights. Here every test-split image is undecodable: honest training must
/// finish every epoch and save its best weights before the first test image fails; the official protocol
/// (selection on the test prompts) fails at its first evaluation.
/// </summary>
public sealed class FinetuneProtocolTests
{
    private const int Epochs = 3;

    [Fact]
    public void Honest_TrainsAndSelects_WithoutOpeningATestImage()
    {
        using var pipeline = new TinyPipeline();
        var options = TinyPipeline.Options with { Epochs = Epochs, Protocol = "honest" };
        var testImages = PoisonTestSplit(pipeline, options);
        var inputs = pipeline.Inputs("honest");

        var error = Assert.Throws<InvalidDataException>(() => FinetuneStage.Run(inputs, options, TextWriter.Null, CancellationToken.None));

        var split = Path.Combine(inputs.RunFolder, "split-0");
        Assert.Contains(testImages, path => error.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal));
        Assert.Equal(Epochs, TinyPipeline.TrainLosses(split).Length);
        Assert.True(File.Exists(Path.Combine(split, TrainingLoop.BestFolder, "weights.safetensors")), "the selected weights were not saved before the test split was read");
    }

    [Fact]
    public void Official_SelectsOnTheTestSplit_SoItFailsAtTheFirstEvaluation()
    {
        using var pipeline = new TinyPipeline();
        var options = TinyPipeline.Options with { Epochs = Epochs, Protocol = "official" };
        PoisonTestSplit(pipeline, options);
        var inputs = pipeline.Inputs("official");

        Assert.Throws<InvalidDataException>(() => FinetuneStage.Run(inputs, options, TextWriter.Null, CancellationToken.None));

        var split = Path.Combine(inputs.RunFolder, "split-0");
        Assert.True(!File.Exists(Path.Combine(split, MetricsLog.FileName)) || TinyPipeline.TrainLosses(split).Length < Epochs);
    }

    /// <summary>Overwrites every image of the split's test prompts with bytes no decoder reads; returns their paths.</summary>
    private static string[] PoisonTestSplit(TinyPipeline pipeline, TrainingOptions options)
    {
        var dataset = IqaDataset.Load(DatasetKind.Agiqa3k, pipeline.DataPath, pipeline.ImagesPath);
        var test = PromptSplitter.Split(dataset.Samples, FinetuneStage.Protocol(options)).Single().Test.Select(s => s.ImagePath).ToArray();
        Assert.NotEmpty(test);
        foreach (var path in test)
        {
            File.WriteAllBytes(path, "not an image"u8.ToArray());
        }

        return test;
    }
}
