using IpIqa.Cli.Scoring;
using IpIqa.Core.Errors;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Scoring;

public sealed class ScoreInputReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new("inputs");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AFolderPairsEachImageWithItsTxtPrompt_AndReportsAnImageWithout()
    {
        File.WriteAllBytes(_temp.Combine("b.png"), [1]);
        File.WriteAllText(_temp.Combine("b.txt"), "  a red fox \n");
        File.WriteAllBytes(_temp.Combine("a.jpg"), [1]);
        File.WriteAllText(_temp.Combine("notes.md"), "not an image");

        var inputs = await ScoreInputReader.ReadAsync(_temp.Path, CancellationToken.None);

        Assert.Equal(["a.jpg", "b.png"], inputs.Select(i => i.Image));
        Assert.Equal(ErrorCodes.PromptMissing, inputs[0].ProblemCode);
        Assert.Contains("'a.txt' does not exist", inputs[0].Problem, StringComparison.Ordinal);
        Assert.Equal("a red fox", inputs[1].Prompt);
        Assert.Equal(_temp.Combine("b.png"), inputs[1].ImagePath);
    }

    [Fact]
    public async Task AJsonlLineWithAnUnpairedSurrogateEscapeIsReported_AndTheOtherLinesRead()
    {
        var manifest = _temp.Combine("manifest.jsonl");
        File.WriteAllLines(manifest,
        [
            """{"image": "a.png", "prompt": "a cat \ud800"}""",
            """{"image": "b.png", "prompt": "a dog"}""",
        ]);

        var inputs = await ScoreInputReader.ReadAsync(manifest, CancellationToken.None);

        Assert.Equal(2, inputs.Count);
        Assert.Equal(ErrorCodes.MessageInvalid, inputs[0].ProblemCode);
        Assert.Contains("line 1", inputs[0].Problem, StringComparison.Ordinal);
        Assert.Equal("a dog", inputs[1].Prompt);
    }

    [Fact]
    public async Task AJsonlManifestResolvesRelativePathsAgainstItsFolder_AndNamesBadLines()
    {
        Directory.CreateDirectory(_temp.Combine("sub"));
        var manifest = _temp.Combine("sub", "manifest.jsonl");
        File.WriteAllLines(manifest,
        [
            """{"image": "../x.png", "prompt": "a cat"}""",
            "",
            """{"image": "/abs/y.png", "prompt": "a dog", "extra": 1}""",
            "not json",
            """{"prompt": "no image"}""",
            """{"image": "z.png"}""",
        ]);

        var inputs = await ScoreInputReader.ReadAsync(manifest, CancellationToken.None);

        Assert.Equal(5, inputs.Count);
        Assert.Equal(_temp.Combine("x.png"), inputs[0].ImagePath);
        Assert.Equal("../x.png", inputs[0].Image);
        Assert.Equal("/abs/y.png", inputs[1].ImagePath);
        Assert.Equal(ErrorCodes.MessageInvalid, inputs[2].ProblemCode);
        Assert.Contains("line 4", inputs[2].Problem, StringComparison.Ordinal);
        Assert.Contains("'image'", inputs[3].Problem, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.PromptMissing, inputs[4].ProblemCode);
        Assert.Contains("line 6", inputs[4].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvManifestFindsItsColumnsByHeader_WithRfc4180Quoting()
    {
        var manifest = _temp.Combine("m.csv");
        File.WriteAllText(manifest, "prompt,image\r\n\"a cat, \"\"smiling\"\"\",img/c.png\r\nshort\r\n");

        var inputs = await ScoreInputReader.ReadAsync(manifest, CancellationToken.None);

        Assert.Equal(2, inputs.Count);
        Assert.Equal("a cat, \"smiling\"", inputs[0].Prompt);
        Assert.Equal(_temp.Combine("img", "c.png"), inputs[0].ImagePath);
        Assert.Equal(ErrorCodes.MessageInvalid, inputs[1].ProblemCode);
        Assert.Contains("line 3", inputs[1].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvWithoutAPromptColumnIsRefusedNamingTheHeader()
    {
        var manifest = _temp.Combine("m.csv");
        File.WriteAllText(manifest, "image,caption\na.png,x\n");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ScoreInputReader.ReadAsync(manifest, CancellationToken.None));

        Assert.Contains("no 'prompt' column", error.Message, StringComparison.Ordinal);
        Assert.Contains("image, caption", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-folder", "does not exist")]
    [InlineData("list.txt", "unknown manifest kind '.txt'")]
    public async Task AnUnusableInputIsRefusedByName(string name, string expected)
    {
        if (name.EndsWith(".txt", StringComparison.Ordinal))
        {
            File.WriteAllText(_temp.Combine(name), "x");
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ScoreInputReader.ReadAsync(_temp.Combine(name), CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
