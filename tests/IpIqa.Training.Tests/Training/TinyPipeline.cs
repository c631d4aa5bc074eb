using IpIqa.Model;
using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>A synthetic set and a model small enough to train every stage for a few steps in a test.</summary>
internal sealed class TinyPipeline : IDisposable
{
    private readonly TempDirectory _temp = new("ipiqa-train");

    public TinyPipeline(int prompts = 16, int imagesPerPrompt = 3)
    {
        SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(SetFolder, prompts, imagesPerPrompt, 32, 7), null, CancellationToken.None).GetAwaiter().GetResult();
        File.WriteAllText(ModelConfigPath, Config.ToJson());
    }

    /// <summary>CLIP's vocabulary and context (the real tokenizer) around a very narrow model at 32 px.</summary>
    public static IpIqaConfig Config { get; } = new()
    {
        EmbedDim = 32,
        VisionLayers = [1, 1, 1, 1],
        VisionWidth = 4,
        TransformerWidth = 32,
        TransformerHeads = 2,
        TransformerLayers = 1,
        InputResolution = 32,
        ClipImageResolution = 32,
        TxtPoolHeads = 2,
        Head = IpIqaConfig.HeadMlp,
        Dropout = 0.1,
    };

    public string Root => _temp.Path;

    public string SetFolder => _temp.Combine("set");

    public string DataPath => Path.Combine(SetFolder, "data.csv");

    public string ImagesPath => Path.Combine(SetFolder, "images");

    public string ModelConfigPath => _temp.Combine("model.json");

    /// <summary>CLIP's BPE file, from the demo bundle: training needs no reference fixture.</summary>
    public static string Vocab => DemoBundle.Vocab;

    public static TrainingOptions Options { get; } = new()
    {
        Epochs = 4,
        BatchSize = 12,
        EvalBatchSize = 32,
        LearningRate = 2e-3,
        Schedule = TrainingOptions.ScheduleConstant,
        HeadScale = 5,
        HorizontalFlip = false,
        ValidationFraction = 0.25,
        Threads = 1,
    };

    public StageInputs Inputs(string run, string? init = null, bool resume = false) =>
        new(DataPath, ImagesPath, DatasetKind.Agiqa3k, Vocab, init, init is null ? ModelConfigPath : null, _temp.Combine(run), resume);

    /// <summary>Training loss per epoch, from the run's metrics.csv.</summary>
    public static double[] TrainLosses(string runFolder) =>
        MetricsLog.ReadLosses(runFolder).Where(r => r.Split == "train").Select(r => r.Loss).ToArray();

    public void Dispose() => _temp.Dispose();
}
