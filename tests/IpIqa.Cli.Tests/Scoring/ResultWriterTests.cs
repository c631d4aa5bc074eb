using System.Text.Json;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;
using IpIqa.Inference.Scoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Scoring;

public sealed class ResultWriterTests : IDisposable
{
    private static readonly ModelIdentity Model = new("demo", "1.2", "abcdef012345");
    private readonly TempDirectory _temp = new("writers");

    public void Dispose() => _temp.Dispose();

    private static ScoreOutcome[] Outcomes() =>
    [
        new("a.png", "a \"cat\", sitting", new ModelScores(3.5f, 2.25f), new Verdict(Verdict.Fail, ["alignment<2.5"]), null, ScoreTimings.None),
        new("b.png", null, null, null, new ScoreError("prompt_invalid", "No prompt for 'b.png'."), ScoreTimings.None),
    ];

    [Fact]
    public void JsonlHasOneObjectPerOutcome_WithScoresVerdictModelOrError()
    {
        var path = _temp.Combine("out.jsonl");
        using (var writer = ResultWriters.Create(path, Model))
        {
            foreach (var outcome in Outcomes())
            {
                writer.Write(outcome);
            }
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("a.png", root.GetProperty("image").GetString());
        Assert.Equal("a \"cat\", sitting", root.GetProperty("prompt").GetString());
        Assert.Equal(3.5, root.GetProperty("scores").GetProperty("quality").GetDouble());
        Assert.Equal(2.25, root.GetProperty("scores").GetProperty("alignment").GetDouble());
        Assert.Equal("fail", root.GetProperty("verdict").GetProperty("outcome").GetString());
        Assert.Equal("alignment<2.5", root.GetProperty("verdict").GetProperty("failed")[0].GetString());
        Assert.Equal("abcdef012345", root.GetProperty("model").GetProperty("hash").GetString());

        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("prompt_invalid", second.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.False(second.RootElement.TryGetProperty("scores", out _));
    }

    [Fact]
    public void CsvRoundTripsThroughAnRfc4180Reader()
    {
        var path = _temp.Combine("out.csv");
        using (var writer = ResultWriters.Create(path, Model))
        {
            foreach (var outcome in Outcomes())
            {
                writer.Write(outcome);
            }
        }

        using var text = new StreamReader(path);
        var reader = new CsvRecordReader(text);
        var header = reader.Read()!;
        var first = reader.Read()!;
        var second = reader.Read()!;

        Assert.Equal(CsvResultWriter.Header.Split(','), header);
        Assert.Equal("a \"cat\", sitting", first[header.ToList().IndexOf("prompt")]);
        Assert.Equal("3.5", first[header.ToList().IndexOf("quality")]);
        Assert.Equal("fail", first[header.ToList().IndexOf("verdict")]);
        Assert.Equal("prompt_invalid", second[header.ToList().IndexOf("error_code")]);
        Assert.Equal("No prompt for 'b.png'.", second[header.ToList().IndexOf("error_message")]);
        Assert.Null(reader.Read());
    }

    [Fact]
    public void AnOutputOfAnotherKindIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultWriters.Create(_temp.Combine("out.txt"), Model));

        Assert.Contains(".jsonl or .csv", error.Message, StringComparison.Ordinal);
    }
}
