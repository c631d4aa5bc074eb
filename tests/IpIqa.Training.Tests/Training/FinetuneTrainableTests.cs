using IpIqa.Model;
using IpIqa.Training.Training;

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
}
