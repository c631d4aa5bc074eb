using System.CommandLine;
using IpIqa.Training.Commands;
using IpIqa.Training.Data;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>Pretraining is kept off the fine-tuning run's test prompts: refused by default, or excluded, or allowed with a warning.</summary>
public sealed class TestPromptGuardTests
{
    private static readonly TrainingOptions Finetune = TinyPipeline.Options with { Protocol = "honest", Splits = 2 };

    [Fact]
    public void TestPrompts_AreTheTestPartsOfEverySplit()
    {
        using var pipeline = new TinyPipeline();
        var samples = Load(pipeline);

        var test = TestPromptGuard.TestPrompts(samples, Finetune);

        var expected = PromptSplitter.Split(samples, FinetuneStage.Protocol(Finetune)).SelectMany(s => s.Test).Select(s => s.Prompt).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, test.Order(StringComparer.Ordinal));
        Assert.InRange(test.Count, 1, samples.Select(s => s.Prompt).Distinct().Count() - 1);
    }

    [Fact]
    public void Check_Overlap_IsRefused_ExcludedOrAllowed_AsAsked()
    {
        using var pipeline = new TinyPipeline();
        var samples = Load(pipeline);
        var test = TestPromptGuard.TestPrompts(samples, Finetune);
        var log = new StringWriter();

        var error = Assert.Throws<InvalidDataException>(() => TestPromptGuard.Check("image2prompt", samples, test, TestPromptGuard.Refuse, log));
        var excluded = TestPromptGuard.Check("image2prompt", samples, test, TestPromptGuard.Exclude, log);
        var allowed = TestPromptGuard.Check("image2prompt", samples, test, TestPromptGuard.Allow, log);
        var disjoint = TestPromptGuard.Check("image2prompt", [.. samples.Where(s => !test.Contains(s.Prompt))], test, TestPromptGuard.Refuse, log);

        Assert.Contains($"{test.Count} of the {test.Count} fine-tuning test prompts", error.Message, StringComparison.Ordinal);
        Assert.Contains("--test-overlap exclude", error.Message, StringComparison.Ordinal);
        Assert.Equal(test.Order(StringComparer.Ordinal), excluded.Order(StringComparer.Ordinal));
        Assert.Empty(allowed);
        Assert.Contains("warning", log.ToString(), StringComparison.Ordinal);
        Assert.Empty(disjoint);
    }

    [Fact]
    public void StageData_Pairs_LeaveOutTheExcludedPrompts()
    {
        using var pipeline = new TinyPipeline();
        var test = TestPromptGuard.TestPrompts(Load(pipeline), Finetune);

        var data = StageData.Load(pipeline.Inputs("clip") with { ExcludedPrompts = test }, 32, 77);

        Assert.DoesNotContain(data.Pairs(null), s => test.Contains(s.Prompt));
        Assert.Equal(data.Dataset.Samples.Count(s => !test.Contains(s.Prompt)), data.Pairs(null).Count);
    }

    [Fact]
    public async Task Image2Prompt_OnTheFinetuneData_RefusesByDefault_AndTrainsWithExclude()
    {
        using var pipeline = new TinyPipeline();
        var config = Path.Combine(pipeline.Root, "finetune.json");
        await File.WriteAllTextAsync(config, Finetune.ToJson());
        string[] common = ["image2prompt", "--data", pipeline.DataPath, "--images", pipeline.ImagesPath, "--vocab", TinyPipeline.Vocab, "--model-config", pipeline.ModelConfigPath, "--finetune-config", config, "--epochs", "1", "--threads", "1"];
        var refused = new StringWriter();
        var excluded = new StringWriter();

        var refusedCode = await Invoke(refused, [.. common, "--out", Path.Combine(pipeline.Root, "refused")]);
        var excludedCode = await Invoke(excluded, [.. common, "--out", Path.Combine(pipeline.Root, "excluded"), "--test-overlap", "exclude"]);

        Assert.Equal(1, refusedCode);
        Assert.Contains("fine-tuning test prompts", refused.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(pipeline.Root, "refused", TrainingLoop.BestFolder)));
        Assert.Equal(0, excludedCode);
        Assert.Contains("they are left out", excluded.ToString(), StringComparison.Ordinal);
    }

    private static IReadOnlyList<IqaSample> Load(TinyPipeline pipeline) => IqaDataset.Load(DatasetKind.Agiqa3k, pipeline.DataPath, pipeline.ImagesPath).Samples;

    private static async Task<int> Invoke(TextWriter output, params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in TrainCommands.All())
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, CancellationToken.None);
    }
}
