using System.CommandLine;
using IpIqa.TestSupport;
using IpIqa.Training.Commands;

namespace IpIqa.Training.Tests.Commands;

public sealed class SynthCommandTests
{
    [Fact]
    public async Task Synth_WritesTheAgiqa3kLayout()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("set");

        var code = await Root().Parse(["synth", "--out", output, "--prompts", "3", "--images-per-prompt", "2", "--size", "24", "--seed", "9"]).InvokeAsync();

        Assert.Equal(0, code);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(output, "data.csv")).Length);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(output, "images"), "*.png").Length);
        Assert.True(File.Exists(Path.Combine(output, "synth.json")));
    }

    [Fact]
    public async Task Synth_InvalidSize_ExitsWithCode2_AndWritesNothing()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("set");

        var code = await Root().Parse(["synth", "--out", output, "--size", "3"]).InvokeAsync();

        Assert.Equal(2, code);
        Assert.False(Directory.Exists(output));
    }

    private static RootCommand Root()
    {
        var root = new RootCommand();
        foreach (var command in TrainCommands.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
