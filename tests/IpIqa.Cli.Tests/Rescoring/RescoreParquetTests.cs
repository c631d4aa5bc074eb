using IpIqa.Core.Contracts;
using System.Globalization;
using IpIqa.Cli.Scoring;
using IpIqa.Cli.Tests.Scoring;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary><c>ipiqa rescore</c> from a Parquet manifest, and the run's <c>results.parquet</c>, with the exported reference bundle.</summary>
public sealed class RescoreParquetTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const double Tolerance = 1e-4;
    private static readonly string[] NumberColumns = ["quality", "alignment", "quality_percentile", "alignment_percentile"];
    private readonly TempDirectory _temp = new("rescore-parquet");

    public void Dispose() => _temp.Dispose();

    private RescoreSettings Settings(string manifest, string runs) => new()
    {
        Model = reference.Folder,
        RunsRoot = _temp.Combine(runs),
        Manifest = manifest,
        PageSize = 4,
        BatchSize = 4,
        Threads = 1,
        Provider = ExecutionProvider.Cpu,
    };

    /// <summary>The reference samples copied under gallery/, as manifest rows (image relative to the manifest, except one absolute), plus a row with no prompt.</summary>
    private string?[][] GalleryRows()
    {
        var samples = ReferenceBundle.Samples();
        var gallery = Directory.CreateDirectory(_temp.Combine("gallery")).FullName;
        var rows = new List<string?[]>();
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, Path.Combine(gallery, name));
            rows.Add([i == 1 ? Path.Combine(gallery, name) : $"gallery/{name}", samples[i].Prompt]);
        }

        File.Copy(samples[0].Image, Path.Combine(gallery, "t-orphan.jpg"));
        rows.Add(["gallery/t-orphan.jpg", null]);
        return [.. rows];
    }

    private static async Task<string> RunAsync(RescoreSettings settings)
    {
        using var output = new StringWriter();
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));
        return Directory.GetDirectories(settings.RunsRoot).OrderBy(Directory.GetCreationTimeUtc).ThenBy(d => d, StringComparer.Ordinal).Last();
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task AParquetManifest_ScoresLikeTheSameCsvManifest_AndResultsParquetHoldsTheCsvsRows()
    {
        var rows = GalleryRows();
        var parquet = _temp.Combine("gallery.parquet");
        await ParquetFiles.WriteStringsAsync(parquet, ["image", "prompt"], rows[..3], rows[3..]);
        var csv = _temp.Combine("gallery.csv");
        await File.WriteAllLinesAsync(csv, ["image,prompt", .. rows.Select(r => string.Join(',', r.Select(v => CsvField.Quote(v ?? ""))))]);

        var parquetRun = await RunAsync(Settings(parquet, "runs-parquet"));
        var csvRun = await RunAsync(Settings(csv, "runs-csv"));

        var fromParquet = RescoreFolderTests.ReadCsv(Path.Combine(parquetRun, "results.csv"));
        var fromCsv = RescoreFolderTests.ReadCsv(Path.Combine(csvRun, "results.csv"));
        Assert.Equal(rows.Length, fromParquet.Count);
        Assert.Equal(fromCsv.Select(r => r["key"]), fromParquet.Select(r => r["key"]));
        foreach (var (p, c) in fromParquet.Zip(fromCsv))
        {
            foreach (var column in p.Keys.Where(k => k != "run_id"))
            {
                if (NumberColumns.Contains(column) && p[column].Length > 0)
                {
                    Assert.Equal(double.Parse(c[column], CultureInfo.InvariantCulture), double.Parse(p[column], CultureInfo.InvariantCulture), Tolerance);
                }
                else if (column == "error_message")
                {
                    // Each names its own file and place ("gallery.csv line 8", "gallery.parquet row 7"); the rest is the same.
                    Assert.Equal(c[column][(c[column].IndexOf(": ", StringComparison.Ordinal) + 1)..], p[column][(p[column].IndexOf(": ", StringComparison.Ordinal) + 1)..]);
                }
                else
                {
                    Assert.True(c[column] == p[column], $"{p["key"]} {column}: csv '{c[column]}', parquet '{p[column]}'");
                }
            }
        }

        var expected = ReferenceBundle.Scores();
        var first = fromParquet.Single(r => r["key"] == "gallery/s0.jpg");
        Assert.Equal(expected[0], double.Parse(first["quality"], CultureInfo.InvariantCulture), Tolerance);
        Assert.Equal(ErrorCodes.PromptMissing, fromParquet.Single(r => r["key"] == "gallery/t-orphan.jpg")["error_code"]);
        Assert.Equal("gallery/s2.png", fromParquet.Single(r => r["key"] == "gallery/s2.png")["image"]);

        await AssertResultsParquetEqualsCsvAsync(parquetRun, expectSkipped: 0);

        // A second run skips what the first scored: it holds only the changes (#19); exported, skipped=true in both files.
        var secondRun = await RunAsync(Settings(parquet, "runs-parquet"));
        Assert.NotEqual(parquetRun, secondRun);
        Assert.False(File.Exists(Path.Combine(secondRun, "results.csv")));
        using var exported = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(Settings(parquet, "runs-parquet") with { Export = Path.GetFileName(secondRun) }, exported, CancellationToken.None));
        await AssertResultsParquetEqualsCsvAsync(secondRun, expectSkipped: rows.Length - 1);
    }

    private static async Task AssertResultsParquetEqualsCsvAsync(string run, int expectSkipped)
    {
        var csvRows = RescoreFolderTests.ReadCsv(Path.Combine(run, "results.csv"));
        var (schema, rowGroups, parquetRows) = await ParquetFiles.ReadAsync(Path.Combine(run, "results.parquet"));

        Assert.Equal(RescoreResultsWriter.Header.Split(','), schema.DataFields.Select(f => f.Name));
        Assert.Equal(typeof(double), schema.DataFields.Single(f => f.Name == "quality").ClrType);
        Assert.True(schema.DataFields.Single(f => f.Name == "quality").IsNullable);
        Assert.Equal(typeof(bool), schema.DataFields.Single(f => f.Name == "skipped").ClrType);
        Assert.Equal(1, rowGroups);
        Assert.Equal(csvRows.Count, parquetRows.Count);
        Assert.False(File.Exists(Path.Combine(run, "results.parquet.tmp")));
        for (var i = 0; i < csvRows.Count; i++)
        {
            foreach (var (column, text) in csvRows[i])
            {
                var value = parquetRows[i][column] switch
                {
                    null => "",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    var other => (string)other,
                };
                Assert.True(text == value, $"row {i} {column}: csv '{text}', parquet '{value}'");
            }
        }

        Assert.Equal(expectSkipped, parquetRows.Count(r => (bool)r["skipped"]!));
        Assert.Contains(parquetRows, r => r["quality"] is null && r["error_code"] is ErrorCodes.PromptMissing);
    }

    [FixtureTheory(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    [InlineData("corrupt")]
    [InlineData("no-image-column")]
    public async Task ABadParquetManifest_IsAUsageError_ForRescoreAndScore(string kind)
    {
        var manifest = _temp.Combine("bad.parquet");
        if (kind == "corrupt")
        {
            await File.WriteAllTextAsync(manifest, "image,prompt\na.png,a cat\n");
        }
        else
        {
            await ParquetFiles.WriteStringsAsync(manifest, ["path", "prompt"], [["a.png", "a cat"]]);
        }

        using var output = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await RescoreCommandRunner.RunAsync(Settings(manifest, "runs"), output, CancellationToken.None));

        var results = _temp.Combine("out", "results.csv");
        var score = new ScoreSettings(reference.Folder, manifest, results, new Core.Contracts.Thresholds(null, null), 4, 1, ExecutionProvider.Cpu);
        Assert.Equal(ExitCodes.Usage, await ScoreRunner.RunAsync(score, CancellationToken.None));
        Assert.False(File.Exists(results));
    }
}
