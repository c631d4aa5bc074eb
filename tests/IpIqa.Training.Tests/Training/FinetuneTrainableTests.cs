using IpIqa.Model;
using IpIqa.Training.Import;
using IpIqa.Training.Training;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Training;

public sealed class FinetuneTrainableTests
{
    [Theory]
    [InlineData(IpIqaConfig.TextFeatureEot, true, "wte.weight")]
    [InlineData(IpIqaConfig.TextFeatureQaToken, true, "qa_token")]
    [InlineData(IpIqaConfig.TextFeatureEot, false, null)]
    public void TextTower_IsFrozen_ExceptItsTokenParameter(string textFeature, bool trainToken, string? trainableTextKey)
    {
        using var model = new IpIqaModel(TinyPipeline.Config with { TextFeature = textFeature });
        var names = model.named_parameters().Select(p => p.name).ToArray();
        var textTower = names.Where(n => n.StartsWith("txt_model.", StringComparison.Ordinal) || n is "wte.weight" or "qa_token" or "txt_pos" or "text_projection" || n.StartsWith("ln_final.", StringComparison.Ordinal)).ToArray();

        var trainableText = textTower.Where(n => FinetuneStage.IsTrainable(n, model.Config, trainToken)).ToArray();

        Assert.Equal(trainableText, trainableTextKey is null ? [] : [trainableTextKey]);
        Assert.All(names.Except(textTower), n => Assert.True(FinetuneStage.IsTrainable(n, model.Config, trainToken), $"{n} should train"));
        Assert.Contains("head.dense.weight", names);
    }

    [Fact]
    public void ParameterGroups_FreezeWhatTheyDoNotTrain_AndScaleTheHead()
    {
        using var model = new IpIqaModel(TinyPipeline.Config);
        var groups = new ParameterGroups(model.named_parameters(), name => name.StartsWith("head.", StringComparison.Ordinal), headScale: 10);
        using var optimizer = groups.CreateAdamW(new TrainingOptions { LearningRate = 1e-3, WeightDecay = 0.05 }, []);

        groups.SetLearningRate(optimizer, 2e-3);

        Assert.All(model.named_parameters(), p => Assert.Equal(p.name.StartsWith("head.", StringComparison.Ordinal), p.parameter.requires_grad));
        Assert.All(optimizer.ParamGroups, g => Assert.Equal(2e-2, g.LearningRate, 12));
        Assert.Equal(2, optimizer.ParamGroups.Count());
    }

    [Fact]
    public void ParameterGroups_ScaleTheImageTower_AndAFrozenStepLeavesItPut()
    {
        using var model = new IpIqaModel(TinyPipeline.Config);
        var groups = new ParameterGroups(model.named_parameters(), _ => true, headScale: 10, imageScale: 0.25);
        using var optimizer = groups.CreateAdamW(new TrainingOptions { LearningRate = 1e-3, WeightDecay = 0.05 }, []);
        var image = model.named_parameters().Where(p => ParameterGroups.IsImageTower(p.name)).ToArray();
        var rest = model.named_parameters().Where(p => !ParameterGroups.IsImageTower(p.name) && p.name.StartsWith("head.", StringComparison.Ordinal)).ToArray();
        Assert.Contains(image, p => p.name.StartsWith("resnet50.", StringComparison.Ordinal));
        Assert.Contains(image, p => p.name.StartsWith("attnpool.", StringComparison.Ordinal));

        groups.SetLearningRate(optimizer, 2e-3);
        Assert.Equal([2e-3 * 0.25], optimizer.ParamGroups.Zip(groups.ImageGroups).Where(g => g.Second).Select(g => g.First.LearningRate).Distinct());

        groups.SetLearningRate(optimizer, 2e-3, imageFrozen: true);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var pixels = randn(2, 3, 32, 32);
            var tokens = zeros(2, 77, dtype: ScalarType.Int64);
            model.forward(pixels, tokens).square().sum().backward();
            optimizer.step();
        }

        Assert.All(image, p => Assert.True(p.parameter.allclose(before[p.name], rtol: 0, atol: 0), $"{p.name} moved while the image tower was frozen"));
        Assert.Contains(rest, p => !p.parameter.allclose(before[p.name], rtol: 0, atol: 0));
    }

    [Fact]
    public void Finetune_FreezeImageEpochs_KeepsTheInitsImageTower_WhileTheHeadTrains()
    {
        using var pipeline = new TinyPipeline();
        var clip = pipeline.Inputs("clip");
        ClipPretrainStage.Run(clip, TinyPipeline.Options with { Epochs = 1 }, TextWriter.Null, CancellationToken.None);
        var init = Path.Combine(clip.RunFolder, TrainingLoop.BestFolder);

        var finetune = pipeline.Inputs("finetune", init: init);
        FinetuneStage.Run(finetune, TinyPipeline.Options with { Epochs = 2, FreezeImageEpochs = 2, Protocol = "honest" }, TextWriter.Null, CancellationToken.None);

        var before = CheckpointReader.Read(Path.Combine(init, TorchCheckpoint.WeightsFile));
        var after = CheckpointReader.Read(Path.Combine(finetune.RunFolder, "split-0", TrainingLoop.BestFolder, TorchCheckpoint.WeightsFile));
        using var model = new IpIqaModel(TinyPipeline.Config);
        var image = model.named_parameters().Select(p => p.name).Where(ParameterGroups.IsImageTower).ToArray();
        Assert.NotEmpty(image);
        Assert.All(image, k => Assert.True(before[k].allclose(after[k], rtol: 0, atol: 0), $"{k} trained while the image tower was frozen"));
        Assert.False(before["head.dense.weight"].allclose(after["head.dense.weight"], rtol: 0, atol: 0), "the head did not train");
    }

    [Fact]
    public void Finetune_SwapRanking_Trains_AndChangesWhatTheRegressionAloneLearns()
    {
        using var pipeline = new TinyPipeline();
        // no dropout: the ranked run's extra rows would draw other dropout masks and change the head on their own
        var options = TinyPipeline.Options with { Epochs = 1, Protocol = "honest", Dropout = 0 };
        var plain = pipeline.Inputs("plain");
        var ranked = pipeline.Inputs("ranked");

        FinetuneStage.Run(plain, options, TextWriter.Null, CancellationToken.None);
        FinetuneStage.Run(ranked, options with { SwapRankingWeight = 1, SwapRankingMargin = 1 }, TextWriter.Null, CancellationToken.None);

        var before = CheckpointReader.Read(Path.Combine(plain.RunFolder, "split-0", TrainingLoop.BestFolder, TorchCheckpoint.WeightsFile));
        var after = CheckpointReader.Read(Path.Combine(ranked.RunFolder, "split-0", TrainingLoop.BestFolder, TorchCheckpoint.WeightsFile));
        var losses = TinyPipeline.TrainLosses(Path.Combine(ranked.RunFolder, "split-0"));
        Assert.NotEmpty(losses);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.False(before["head.dense.weight"].allclose(after["head.dense.weight"], rtol: 0, atol: 1e-6), "the swap-ranking term changed nothing");
    }
}
