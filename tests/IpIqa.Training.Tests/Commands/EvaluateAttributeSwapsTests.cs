using System.CommandLine;
using System.Text.Json.Nodes;
using IpIqa.TestSupport;
using IpIqa.Training.Commands;
using IpIqa.Training.Data.Synthetic;

namespace IpIqa.Training.Tests.Commands;

/// <summary><c>ipiqa-train evaluate --attribute-swaps</c> with the committed demo bundle on a tiny synthetic set.</summary>
public sealed class EvaluateAttributeSwapsTests
{
    private static string DemoModel => Path.Combine(Fixtures.RepositoryRoot, "models", "demo");

    [Fact]
    public async Task Evaluate_AttributeSwaps_WritesARowPerAttribute_IntoTheMetrics()
    {
        using var temp = new TempDirectory("ipiqa-swaps");
        await SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(temp.Combine("set"), 12, 2, 64, 5), null, CancellationToken.None);
        var metrics = temp.Combine("metrics.json");

        var code = await Invoke(TextWriter.Null, "evaluate", "--model", DemoModel, "--data", temp.Combine("set", "data.csv"), "--images", temp.Combine("set", "images"), "--attribute-swaps", "--seed", "3", "--out", metrics, "--threads", "1");

        Assert.Equal(0, code);
        var swaps = JsonNode.Parse(await File.ReadAllTextAsync(metrics))!["attribute_swaps"]!;
        Assert.Equal(3.0, (double)swaps["gate"]!);
        var pairs = File.ReadAllLines(temp.Combine("set", "data.csv")).Count(l => l.Contains(",aligned,", StringComparison.Ordinal));
        foreach (var attribute in new[] { "randomprompt", "shape", "colour", "count", "position", "style" })
        {
            Assert.Equal(pairs, (int)swaps[attribute]!["pairs"]!);
            Assert.InRange((double)swaps[attribute]!["wins"]!, 0.0, 1.0);
        }

        Assert.True((double)swaps["shape"]!["formula_gap"]! > 1.0);
        var quality = JsonNode.Parse(await File.ReadAllTextAsync(metrics))!["quality_range"]!;
        Assert.Equal(File.ReadAllLines(temp.Combine("set", "data.csv")).Count(l => l.Contains(",clean,", StringComparison.Ordinal)), (int)quality["clean_images"]!);
        Assert.Equal(24, (int)quality["images"]!);
        Assert.NotNull((double?)quality["quality_slope"]);
        Assert.InRange((double)swaps["style"]!["formula_gap"]!, 0.1, (double)swaps["shape"]!["formula_gap"]!);
    }

    [Fact]
    public async Task Evaluate_AttributeSwaps_OnATableNotWrittenBySynth_ExitsWith1_SayingSo()
    {
        using var temp = new TempDirectory("ipiqa-swaps");
        await SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(temp.Combine("set"), 2, 1, 16, 5), null, CancellationToken.None);
        var names = Directory.GetFiles(temp.Combine("set", "images")).Select(Path.GetFileName).ToArray();
        await File.WriteAllTextAsync(temp.Combine("plain.csv"), $"image,prompt,quality,alignment\n{names[0]},a cat,3,3\n{names[1]},a dog,3,3\n");
        var output = new StringWriter();

        var code = await Invoke(output, "evaluate", "--model", DemoModel, "--data", temp.Combine("plain.csv"), "--images", temp.Combine("set", "images"), "--kind", "csv", "--attribute-swaps", "--threads", "1");

        Assert.Equal(1, code);
        Assert.Contains("ipiqa-train synth", output.ToString(), StringComparison.Ordinal);
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
