using System.CommandLine;
using IpIqa.TestSupport;
using IpIqa.Training.Commands;
using IpIqa.Training.Tests.Training;

namespace IpIqa.Training.Tests.Commands;

public sealed class TrainingCommandTests
{
    [Fact]
    public async Task Finetune_UnknownConfigKey_ExitsWith1_NamingTheKey()
    {
        using var pipeline = new TinyPipeline(prompts: 4, imagesPerPrompt: 1);
        var config = Path.Combine(pipeline.Root, "train.json");
        await File.WriteAllTextAsync(config, "{ \"epochs\": 1, \"learning_rat\": 0.1 }");
        var output = new StringWriter();

        var code = await Invoke(output, "finetune", "--data", pipeline.DataPath, "--images", pipeline.ImagesPath, "--vocab", TinyPipeline.Vocab, "--model-config", pipeline.ModelConfigPath, "--config", config, "--out", Path.Combine(pipeline.Root, "run"));

        Assert.Equal(1, code);
        Assert.Contains("learning_rat", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PretrainClip_WithoutInitOrModelConfig_ExitsWith1()
    {
        using var pipeline = new TinyPipeline(prompts: 4, imagesPerPrompt: 1);
        var output = new StringWriter();

        var code = await Invoke(output, "pretrain-clip", "--data", pipeline.DataPath, "--images", pipeline.ImagesPath, "--vocab", TinyPipeline.Vocab, "--out", Path.Combine(pipeline.Root, "run"));

        Assert.Equal(1, code);
        Assert.Contains("--model-config", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_MissingBundle_ExitsWith1()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("data.csv"), "image,prompt,quality\n");
        var output = new StringWriter();

        var code = await Invoke(output, "evaluate", "--model", temp.Combine("no-bundle"), "--data", temp.Combine("data.csv"), "--images", temp.Path, "--kind", "csv");

        Assert.Equal(1, code);
        Assert.Contains("evaluate failed", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_WritesPromptDisjointTables_WithEveryColumn()
    {
        using var pipeline = new TinyPipeline(prompts: 10, imagesPerPrompt: 2);
        var folder = Path.Combine(pipeline.Root, "split");

        var code = await Invoke(TextWriter.Null, "split", "--data", pipeline.DataPath, "--images", pipeline.ImagesPath, "--out", folder, "--heldout-fraction", "0.2");

        Assert.Equal(0, code);
        var header = File.ReadLines(pipeline.DataPath).First();
        var train = File.ReadAllLines(Path.Combine(folder, "train.csv"));
        var heldOut = File.ReadAllLines(Path.Combine(folder, "heldout.csv"));
        Assert.Equal(header, train[0]);
        Assert.Equal(header, heldOut[0]);
        Assert.Equal(16, train.Length - 1);
        Assert.Equal(4, heldOut.Length - 1);
        static string PromptIndex(string line) => line.Split(',')[0].Split('_')[^1];
        Assert.Empty(train.Skip(1).Select(PromptIndex).Intersect(heldOut.Skip(1).Select(PromptIndex)));
    }

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
