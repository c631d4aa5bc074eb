using System.CommandLine;
using System.Text.Json.Nodes;
using IpIqa.Training.Commands;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Tests.Training;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Commands;

/// <summary><c>ipiqa-train probe-clip</c> on a tiny synthetic set, with a CLIP pretrained there for one epoch.</summary>
public sealed class ProbeClipCommandTests
{
    [Fact]
    public async Task ProbeClip_WritesOneRowPerAttribute_OverTheAlignedImages()
    {
        using var pipeline = new TinyPipeline();
        var clip = pipeline.Inputs("clip");
        ClipPretrainStage.Run(clip, TinyPipeline.Options with { Epochs = 1 }, TextWriter.Null, CancellationToken.None);
        var output = Path.Combine(pipeline.Root, "probe.json");

        var code = await Invoke(TextWriter.Null, "probe-clip", "--init", Path.Combine(clip.RunFolder, TrainingLoop.BestFolder), "--data", pipeline.DataPath, "--images", pipeline.ImagesPath, "--vocab", TinyPipeline.Vocab, "--out", output, "--threads", "1");

        Assert.Equal(0, code);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
        var aligned = File.ReadAllLines(pipeline.DataPath).Count(l => l.Contains(",aligned,", StringComparison.Ordinal));
        Assert.True(aligned > 0);
        foreach (var (attribute, candidates) in new[] { ("shape", Enum.GetValues<ShapeKind>().Length), ("colour", SceneColor.Palette.Count), ("count", PromptGrammar.MaxCount), ("position", Enum.GetValues<ScenePosition>().Length), ("style", Enum.GetValues<RenderStyle>().Length) })
        {
            Assert.Equal(aligned, (int)json[attribute]!["images"]!);
            Assert.Equal(candidates, (int)json[attribute]!["candidates"]!);
            Assert.InRange((double)json[attribute]!["top1"]!, 0.0, 1.0);
        }
    }

    [Fact]
    public async Task ProbeClip_OnATableNotWrittenBySynth_ExitsWith1_SayingSo()
    {
        using var pipeline = new TinyPipeline(prompts: 4, imagesPerPrompt: 1);
        var names = Directory.GetFiles(pipeline.ImagesPath).Select(Path.GetFileName).ToArray();
        var table = Path.Combine(pipeline.Root, "plain.csv");
        await File.WriteAllTextAsync(table, $"name,prompt,mos_quality,mos_align\n{names[0]},a cat,3,3\n{names[1]},a dog,3,3\n");
        var output = new StringWriter();

        var code = await Invoke(output, "probe-clip", "--init", pipeline.Root, "--data", table, "--images", pipeline.ImagesPath, "--vocab", TinyPipeline.Vocab);

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
