using System.Text.Json;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Scoring;

public sealed class ResultWriterTests : IDisposable
{
    private static readonly ModelInfo Model = new("demo", "1.2", "abcdef012345");
    private static readonly DateTimeOffset At = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new("writers");

    public void Dispose() => _temp.Dispose();

    private static ScoringResult[] Outcomes() =>
    [
        ScoringResult.Scored(new ScoringRequest("a.png", new ImageReference(Path: "a.png"), "a \"cat\", sitting"), new Scores(3.5, 2.25), new Verdict(Verdict.Fail, ["alignment<2.5"]), Model, At, new ResultTimings(1, 2, 3, 6)),
        ScoringResult.Failed(new ScoringRequest("b.png", new ImageReference(Path: "b.png"), null), new ResultError("prompt_invalid", "No prompt for 'b.png'."), Model, At),
    ];

    private static async Task WriteAllAsync(string path, IEnumerable<ScoringResult> outcomes)
    {
        await using var writer = ResultWriters.Create(path);
        foreach (var outcome in outcomes)
        {
            await writer.WriteAsync(outcome, CancellationToken.None);
        }
    }

    [Fact]
    public async Task JsonlHasOneObjectPerOutcome_TheResultContractAsTheWorkerWritesIt()
    {
        var path = _temp.Combine("out.jsonl");
        await WriteAllAsync(path, Outcomes());

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        var expected = Outcomes()[0];
        var read = ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(lines[0]));
        Assert.Equal(expected.Verdict!.Failed, read.Verdict!.Failed);
        Assert.Equal(expected, read with { Verdict = expected.Verdict });
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("a.png", root.GetProperty("jobId").GetString());
        Assert.Equal("a.png", root.GetProperty("image").GetProperty("path").GetString());
        Assert.True(root.GetProperty("verdict").GetProperty("passed").ValueKind == JsonValueKind.False);
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
    public async Task CsvRoundTripsThroughAnRfc4180Reader()
    {
        var path = _temp.Combine("out.csv");
        await WriteAllAsync(path, Outcomes());

        using var text = new StreamReader(path);
        using var reader = new CsvRecordReader(text);
        var header = reader.Read()!;
        var first = reader.Read()!;
        var second = reader.Read()!;

        Assert.Equal(ResultTable.Columns.Select(c => c.Name), header);
        Assert.Equal("a \"cat\", sitting", first[header.ToList().IndexOf("prompt")]);
        Assert.Equal("3.5", first[header.ToList().IndexOf("quality")]);
        Assert.Equal("fail", first[header.ToList().IndexOf("verdict")]);
        Assert.Equal("prompt_invalid", second[header.ToList().IndexOf("error_code")]);
        Assert.Equal("No prompt for 'b.png'.", second[header.ToList().IndexOf("error_message")]);
        Assert.Null(reader.Read());
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, ParquetResultWriter<ScoringResult>.RowGroupSize + 3)]
    public async Task ParquetHoldsTheCsvsColumnsAndValues_Typed_AcrossRowGroups(bool percentiles, int count)
    {
        var outcomes = Enumerable.Range(0, count)
            .Select(i => Outcomes()[i % 2] with { Image = new ImageReference(Path: $"{i}.png"), Percentiles = i % 2 == 0 && percentiles ? new ScorePercentiles(12.346, 99.9) : null })
            .ToArray();
        var csv = _temp.Combine("out.csv");
        var parquet = _temp.Combine("out", "results.parquet");
        await WriteAllAsync(csv, outcomes);
        await WriteAllAsync(parquet, outcomes);

        var (schema, rowGroups, rows) = await ParquetFiles.ReadAsync(parquet);
        var csvRows = Rescoring.RescoreFolderTests.ReadCsv(csv);

        Assert.Equal(csvRows[0].Keys, schema.DataFields.Select(f => f.Name));
        Assert.Equal(count > ParquetResultWriter<ScoringResult>.RowGroupSize ? 2 : 1, rowGroups);
        Assert.Equal(count, rows.Count);
        Assert.Equal(count, csvRows.Count);
        Assert.False(File.Exists(parquet + ".tmp"));
        for (var i = 0; i < count; i++)
        {
            foreach (var (column, text) in csvRows[i])
            {
                var value = rows[i][column] switch
                {
                    null => "",
                    double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    var other => (string)other,
                };
                Assert.True(text == value, $"row {i} {column}: csv '{text}', parquet '{value}'");
            }
        }

        Assert.Equal(3.5, rows[0]["quality"]);
        Assert.Null(rows[1]["quality"]);
        Assert.Equal("prompt_invalid", rows[1]["error_code"]);
    }

    [Fact]
    public async Task AParquetFileWithNoOutcomes_StillHasItsSchema()
    {
        var parquet = _temp.Combine("empty.parquet");
        await WriteAllAsync(parquet, []);

        var (schema, rowGroups, rows) = await ParquetFiles.ReadAsync(parquet);

        Assert.Equal(ResultTable.Columns.Select(c => c.Name), schema.DataFields.Select(f => f.Name));
        Assert.Equal(0, rowGroups);
        Assert.Empty(rows);
    }

    [Fact]
    public void AnOutputOfAnotherKindIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultWriters.Create(_temp.Combine("out.txt")));

        Assert.Contains(".jsonl, .csv or .parquet", error.Message, StringComparison.Ordinal);
    }
}
