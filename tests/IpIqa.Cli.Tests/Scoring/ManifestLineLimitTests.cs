using IpIqa.Core.Errors;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Scoring;

/// <summary>
/// A JSONL manifest line is held to 1 MiB characters, as a CSV record is: a longer line (a manifest of gigabytes with
/// no newline would have been read into one string) is that entry's <c>message_invalid</c>, read past without being
/// kept, and the lines after it are read.
/// </summary>
public sealed class ManifestLineLimitTests : IDisposable
{
    private readonly TempDirectory _temp = new("manifest-lines");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_jsonl_line_over_the_limit_is_its_entry_s_problem_and_the_next_lines_are_read()
    {
        var manifest = _temp.Combine("m.jsonl");
        var huge = $$"""{"image": "a.png", "prompt": "{{new string('x', (1 << 20) + 1)}}"}""";
        File.WriteAllText(manifest, huge + "\n" + """{"image": "b.png", "prompt": "a dog"}""");

        var inputs = await ScoreInputReader.ReadAsync(manifest, CancellationToken.None);

        Assert.Equal(2, inputs.Count);
        Assert.Equal(ErrorCodes.MessageInvalid, inputs[0].ProblemCode);
        Assert.Contains("line 1: the line is longer than 1048576 characters", inputs[0].Problem, StringComparison.Ordinal);
        Assert.Equal("a dog", inputs[1].Prompt);
        Assert.Equal("b.png", inputs[1].Image);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a\n")]
    [InlineData("a\r\nb")]
    [InlineData("a\rb\r")]
    [InlineData("a\n\nb\r\n\r\n")]
    [InlineData("\r\r\n\n")]
    public void Lines_are_split_as_ReadLine_splits_them(string text)
    {
        var expected = new List<string>();
        using (var reader = new StringReader(text))
        {
            for (string? line; (line = reader.ReadLine()) is not null;)
            {
                expected.Add(line);
            }
        }

        using var bounded = new StringReader(text);
        var lines = BoundedLineReader.Read(bounded, 10).ToList();

        Assert.Equal(expected, lines.Select(l => l.Line));
        Assert.Equal(Enumerable.Range(1, expected.Count), lines.Select(l => l.Number));
    }

    [Fact]
    public void A_carriage_return_and_line_feed_split_across_reads_end_one_line()
    {
        var text = new string('a', 16 * 1024 - 1) + "\r\nb\n" + new string('c', 16 * 1024 + 1) + "\nd";

        var lines = BoundedLineReader.Read(new StringReader(text), 16 * 1024).ToList();

        Assert.Equal([new string('a', 16 * 1024 - 1), "b", null, "d"], lines.Select(l => l.Line));
        Assert.Equal([1, 2, 3, 4], lines.Select(l => l.Number));
    }
}
