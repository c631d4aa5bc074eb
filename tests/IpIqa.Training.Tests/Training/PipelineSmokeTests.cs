using System.CommandLine;
using System.Text.Json.Nodes;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Commands;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>
/// The whole pipeline on a tiny synthetic set: each stage trains a few steps (its loss must fall), the
/// result is exported to a bundle, and ipiqa-train evaluate scores that bundle with ONNX Runtime.
/// </summary>
public sealed class PipelineSmokeTests
{
    [Fact]
    public async Task Synth_Pretrain_Image2Prompt_Finetune_Export_Evaluate()
    {
        using var pipeline = new TinyPipeline();
        var log = new StringWriter();
        var options = TinyPipeline.Options;

        var clip = pipeline.Inputs("clip");
        ClipPretrainStage.Run(clip, options, log, CancellationToken.None);
        AssertLossFell(clip.RunFolder);

        var i2p = pipeline.Inputs("i2p", init: Path.Combine(clip.RunFolder, TrainingLoop.BestFolder));
        Image2PromptStage.Run(i2p, options, log, CancellationToken.None);
        AssertLossFell(i2p.RunFolder);

        var finetune = pipeline.Inputs("finetune", init: Path.Combine(i2p.RunFolder, TrainingLoop.BestFolder));
        var results = FinetuneStage.Run(finetune, options with { Protocol = "honest", MismatchProbability = 0.3 }, log, CancellationToken.None);
        var split = Path.Combine(finetune.RunFolder, "split-0");
        AssertLossFell(split);
        Assert.Single(results);
        Assert.Contains("mismatched-prompt negatives with probability 0.3", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, results[0].Outputs.Count);
        foreach (var file in new[] { "metrics.csv", "learning_curve.png", "scatter_quality.png", "scatter_alignment.png", "test_predictions.csv", "test_metrics.json" })
        {
            Assert.True(File.Exists(Path.Combine(split, file)), $"{file} is missing from the run folder");
        }

        var bundle = Path.Combine(pipeline.Root, "bundle");
        var best = Path.Combine(split, TrainingLoop.BestFolder);
        Assert.Equal(0, await Invoke("export", "--weights", Path.Combine(best, "weights.safetensors"), "--config", Path.Combine(best, "config.json"), "--vocab", TinyPipeline.Vocab, "--out", bundle));
        Assert.True(File.Exists(Path.Combine(bundle, BundleManifest.FileName)));

        var metrics = Path.Combine(pipeline.Root, "metrics.json");
        var predictions = Path.Combine(pipeline.Root, "predictions.csv");
        Assert.Equal(0, await Invoke("evaluate", "--model", bundle, "--data", pipeline.DataPath, "--images", pipeline.ImagesPath, "--out", metrics, "--predictions", predictions, "--prompt-swap", "3", "--threads", "1"));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(metrics))!;
        Assert.Equal(48, (int)json["quality"]!["n"]!);
        Assert.Equal(48, (int)json["alignment"]!["n"]!);
        Assert.NotNull((double?)json["quality"]!["srcc"]);
        Assert.Equal(49, File.ReadAllLines(predictions).Length);

        // The held-out metrics go into the bundle's provenance.
        Assert.Equal(0, await Invoke("export", "--weights", Path.Combine(best, "weights.safetensors"), "--config", Path.Combine(best, "config.json"), "--vocab", TinyPipeline.Vocab, "--out", bundle, "--metrics", metrics, "--data-note", "tiny synthetic set"));
        var provenance = BundleManifestSerializer.ReadFromFolder(bundle).Provenance!;
        Assert.Equal("tiny synthetic set", provenance.Data);
        Assert.Equal((double)json["quality"]!["srcc"]!, provenance.Metrics!["quality.srcc"]);
        Assert.Equal(48, provenance.Metrics["alignment.n"]);
    }

    [Fact]
    public void Resume_ContinuesFromTheCheckpoint_WithTheSameStepCount()
    {
        using var pipeline = new TinyPipeline(prompts: 8, imagesPerPrompt: 3);
        var log = new StringWriter();
        var inputs = pipeline.Inputs("clip");
        var first = ClipPretrainStage.Run(inputs, TinyPipeline.Options with { Epochs = 2 }, log, CancellationToken.None);

        var resumed = ClipPretrainStage.Run(inputs with { Resume = true }, TinyPipeline.Options with { Epochs = 3 }, log, CancellationToken.None);

        Assert.Equal(2, first.Epoch);
        Assert.Equal(3, resumed.Epoch);
        Assert.Equal(first.Step / 2 * 3, resumed.Step);
        Assert.Contains("resumed at epoch 2", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, TinyPipeline.TrainLosses(inputs.RunFolder).Length);

        // Progress within each epoch (#15): 1-based, at most one line per tenth of its steps, the last at 100%.
        var lines = log.ToString().Split(Environment.NewLine);
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            var within = lines.Where(l => l.StartsWith($"{ClipPretrainStage.Name} epoch {epoch}/", StringComparison.Ordinal)).ToArray();
            Assert.InRange(within.Length, 1, 10);
            Assert.Matches(@": (\d+)/\1 \(100%\), [0-9.]+/s$", within[^1]);
        }
    }

    private static void AssertLossFell(string runFolder)
    {
        var losses = TinyPipeline.TrainLosses(runFolder);
        Assert.True(losses.Length >= 2, $"{runFolder}: expected a training loss per epoch, found {losses.Length}");
        Assert.True(losses[^1] < losses[0], $"{runFolder}: the training loss did not fall: {string.Join(", ", losses)}");
        Assert.True(File.Exists(Path.Combine(runFolder, RunPlots.LearningCurveFile)), $"{runFolder}: no learning curve");
        Assert.True(File.Exists(Path.Combine(runFolder, TrainingLoop.BestFolder, "weights.safetensors")), $"{runFolder}: no best checkpoint");
    }

    private static async Task<int> Invoke(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in TrainCommands.All())
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, CancellationToken.None);
    }
}
