using IpIqa.Model;
using IpIqa.TestSupport;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>
/// configs/agiqa3k ships two variants: the paper's ([QA] token, the one text parameter that trains) and the
/// public code's (EOT feature, the token embedding wte unfrozen). They differ in nothing else.
/// </summary>
public sealed class AgiqaConfigVariantsTests
{
    private static readonly string[] TextAndOtherNames =
        ["qa_token", "wte.weight", "txt_model.resblocks.0.attn.in_proj_weight", "ln_final.weight", "txt_pos", "text_projection", "head.dense.weight", "resnet50.conv1.weight", "txt_attnpool.q_proj.weight"];

    private static string Config(string name) => Path.Combine(Fixtures.RepositoryRoot, "configs", "agiqa3k", name);

    [Theory]
    [InlineData("model.json", "qa_token")]
    [InlineData("model-public-code.json", "wte.weight")]
    public void WithFinetuneJson_TheOnlyTextParameterThatTrains_IsTheVariantsOwn(string model, string trainedText)
    {
        var config = IpIqaConfig.Load(Config(model));
        var finetune = TrainingOptions.Load(Config("finetune.json"));

        var trained = TextAndOtherNames.Where(n => FinetuneStage.IsTrainable(n, config, finetune.TrainTextToken)).ToArray();

        Assert.Equal([trainedText, "head.dense.weight", "resnet50.conv1.weight", "txt_attnpool.q_proj.weight"], trained);
    }

    [Fact]
    public void Variants_DifferOnlyInTheTextFeature_AndSayWhatTheyReproduce()
    {
        var paper = IpIqaConfig.Load(Config("model.json"));
        var publicCode = IpIqaConfig.Load(Config("model-public-code.json"));

        Assert.Equal(IpIqaConfig.TextFeatureQaToken, paper.TextFeature);
        Assert.Equal(IpIqaConfig.TextFeatureEot, publicCode.TextFeature);
        Assert.Equal(paper.ToJson(), (publicCode with { TextFeature = paper.TextFeature }).ToJson());
        Assert.Contains("Variant \"paper\"", File.ReadAllText(Config("model.json")), StringComparison.Ordinal);
        Assert.Contains("Variant \"public code\"", File.ReadAllText(Config("model-public-code.json")), StringComparison.Ordinal);
    }
}
