using System.CommandLine;
using System.Text.Json.Nodes;
using IpIqa.Model;
using IpIqa.Training.Commands;
using IpIqa.Training.Import;
using IpIqa.Training.Training;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Training;

/// <summary>
/// <c>text_feature: qa_token</c>, the mode of configs/agiqa3k, end to end on a tiny set: pretrain, fine-tune
/// (only the [QA] token of the text tower trains), export to ONNX and evaluate with ONNX Runtime.
/// </summary>
public sealed class QaTokenPipelineTests
{
    [Fact]
    public async Task QaToken_Pretrain_Finetune_Export_Evaluate_TrainsOnlyTheQaTokenOfTheTextTower()
    {
        using var pipeline = new TinyPipeline();
        await File.WriteAllTextAsync(pipeline.ModelConfigPath, (TinyPipeline.Config with { TextFeature = IpIqaConfig.TextFeatureQaToken }).ToJson());
        var clip = pipeline.Inputs("clip");
        ClipPretrainStage.Run(clip, TinyPipeline.Options with { Epochs = 2 }, TextWriter.Null, CancellationToken.None);
        var init = Path.Combine(clip.RunFolder, TrainingLoop.BestFolder);

        var finetune = pipeline.Inputs("finetune", init: init);
        FinetuneStage.Run(finetune, TinyPipeline.Options with { Protocol = "honest", TrainTextToken = true }, TextWriter.Null, CancellationToken.None);

        var split = Path.Combine(finetune.RunFolder, "split-0");
        var losses = TinyPipeline.TrainLosses(split);
        Assert.True(losses[^1] < losses[0], $"the training loss did not fall: {string.Join(", ", losses)}");
        var best = Path.Combine(split, TrainingLoop.BestFolder);
        Assert.Equal(IpIqaConfig.TextFeatureQaToken, IpIqaConfig.Load(Path.Combine(best, TorchCheckpoint.ConfigFile)).TextFeature);
        var before = CheckpointReader.Read(Path.Combine(init, TorchCheckpoint.WeightsFile));
        var after = CheckpointReader.Read(Path.Combine(best, TorchCheckpoint.WeightsFile));
        Assert.False(before["qa_token"].allclose(after["qa_token"]), "the [QA] token did not train");
        Assert.True(before["wte.weight"].allclose(after["wte.weight"], rtol: 0, atol: 0), "the token embeddings trained, though qa_token mode freezes them");
        Assert.All(before.Keys.Where(k => k.StartsWith("txt_model.", StringComparison.Ordinal)), k => Assert.True(before[k].allclose(after[k], rtol: 0, atol: 0), $"{k} trained"));

        var bundle = Path.Combine(pipeline.Root, "bundle");
        var metrics = Path.Combine(pipeline.Root, "metrics.json");
        Assert.Equal(0, await Invoke("export", "--weights", Path.Combine(best, TorchCheckpoint.WeightsFile), "--config", Path.Combine(best, TorchCheckpoint.ConfigFile), "--vocab", TinyPipeline.Vocab, "--out", bundle));
        Assert.Equal(0, await Invoke("evaluate", "--model", bundle, "--data", pipeline.DataPath, "--images", pipeline.ImagesPath, "--out", metrics, "--threads", "1"));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(metrics))!;
        Assert.Equal(48, (int)json["alignment"]!["n"]!);
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
