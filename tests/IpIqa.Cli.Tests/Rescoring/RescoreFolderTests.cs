using IpIqa.Core.Contracts;
using System.Globalization;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary><c>ipiqa rescore</c> and <c>ipiqa calibrate</c> on a local folder scored with the exported reference bundle.</summary>
public sealed class RescoreFolderTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly TempDirectory _temp = new("rescore-folder");

    public void Dispose() => _temp.Dispose();

    private string Gallery()
    {
        var samples = ReferenceBundle.Samples();
        var images = Directory.CreateDirectory(_temp.Combine("gallery")).FullName;
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, Path.Combine(images, name));
            File.WriteAllText(Path.Combine(images, Path.ChangeExtension(name, ".txt")), samples[i].Prompt);
        }

        File.Copy(samples[0].Image, Path.Combine(images, "t-orphan.jpg"));
        return images;
    }

    private RescoreSettings Settings(string folder, string? model = null) => new()
    {
        Model = model ?? reference.Folder,
        RunsRoot = _temp.Combine("runs"),
        Folder = folder,
        PageSize = 4,
        BatchSize = 4,
        Threads = 1,
        Provider = ExecutionProvider.Cpu,
    };

    internal static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var text = new StreamReader(path);
        using var reader = new CsvRecordReader(text);
        var header = reader.Read()!;
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read() is { } row)
        {
            rows.Add(header.Select((h, i) => (h, row[i])).ToDictionary(p => p.h, p => p.Item2));
        }

        return rows;
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task AFolderRun_MatchesTheReferenceScores_ReportsTheOrphan_AndASecondRunSkipsEverything()
    {
        var gallery = Gallery();
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(Settings(gallery), output, CancellationToken.None));

        var run = Directory.GetDirectories(_temp.Combine("runs")).Single();
        var rows = ReadCsv(Path.Combine(run, "results.csv"));
        var expected = ReferenceBundle.Scores();
        var samples = ReferenceBundle.Samples();
        Assert.Equal(samples.Count + 1, rows.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var row = rows.Single(r => r["key"].StartsWith($"s{i}.", StringComparison.Ordinal));
            Assert.InRange(double.Parse(row["quality"], CultureInfo.InvariantCulture), expected[i * 2] - Tolerance, expected[i * 2] + Tolerance);
            Assert.InRange(double.Parse(row["alignment"], CultureInfo.InvariantCulture), expected[(i * 2) + 1] - Tolerance, expected[(i * 2) + 1] + Tolerance);
            Assert.Equal(Path.GetFileName(run), row["run_id"]);
        }

        Assert.Equal(ErrorCodes.PromptMissing, rows.Single(r => r["key"] == "t-orphan.jpg")["error_code"]);
        Assert.Contains("data:image/jpeg;base64,", File.ReadAllText(Path.Combine(run, "report.html")), StringComparison.Ordinal);

        using var again = new StringWriter();
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(Settings(gallery), again, CancellationToken.None));
        Assert.Contains($"{samples.Count} skipped", again.ToString(), StringComparison.Ordinal);
        var secondRun = Directory.GetDirectories(_temp.Combine("runs")).Single(d => d != run);
        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(Settings(gallery) with { Export = Path.GetFileName(secondRun) }, again, CancellationToken.None));
        var carried = ReadCsv(Path.Combine(secondRun, "results.csv"));
        Assert.Equal(samples.Count, carried.Count(r => r["skipped"] == "true"));

        // A rerun with a threshold above every score carries the scores but decides the verdicts again.
        var highest = ReferenceBundle.Scores().Where((_, i) => i % 2 == 0).Max() + 1;
        var strict = Settings(gallery) with { QualityThreshold = highest.ToString(CultureInfo.InvariantCulture) };
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(strict, again, CancellationToken.None));
        var third = Directory.GetDirectories(_temp.Combine("runs")).Single(d => d != run && d != secondRun);
        var strictRows = ReadCsv(Path.Combine(third, "results.csv")).Where(r => r["skipped"] == "true").ToArray();
        Assert.Equal(samples.Count, strictRows.Length);
        Assert.All(strictRows, r => Assert.Equal("fail", r["verdict"]));
        Assert.Contains("Drift since run", File.ReadAllText(Path.Combine(secondRun, "report.html")), StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Calibrate_WritesPercentileTablesIntoANewBundleVersion_ThatPercentileThresholdsUse()
    {
        var gallery = Gallery();
        using var output = new StringWriter();
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(Settings(gallery), output, CancellationToken.None));
        var run = Directory.GetDirectories(_temp.Combine("runs")).Single();
        var calibrated = _temp.Combine("calibrated");

        Assert.Equal(0, CalibrateRunner.Run(reference.Folder, run, calibrated, null, output));

        var original = Inference.Bundles.ModelBundleLoader.Load(reference.Folder);
        var bundle = Inference.Bundles.ModelBundleLoader.Load(calibrated);
        Assert.Equal(original.Identity.Hash, bundle.Identity.Hash);
        Assert.Equal(CalibrateRunner.BumpVersion(original.Manifest.Version), bundle.Manifest.Version);
        Assert.NotEqual(original.Manifest.Version, bundle.Manifest.Version);
        var qualities = ReferenceBundle.Scores().Where((_, i) => i % 2 == 0).Select(v => (double)v).Order().ToArray();
        var table = bundle.Manifest.Calibration!.Percentiles["quality"];
        Assert.Equal(101, table.Count);
        Assert.Equal(qualities[0], table[0], 4);
        Assert.Equal(qualities[^1], table[100], 4);
        Assert.Equal(qualities.Length, bundle.Manifest.Calibration.Count);

        var settings = Settings(gallery, calibrated) with { QualityThreshold = "p50", Force = true };
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));
        var latest = Directory.GetDirectories(_temp.Combine("runs")).Single(d => d != run);
        var rows = ReadCsv(Path.Combine(latest, "results.csv")).Where(r => r["quality"].Length > 0).ToArray();
        Assert.Equal(qualities.Length / 2, rows.Count(r => r["verdict"] == "fail"));
        Assert.All(rows, r => Assert.InRange(double.Parse(r["quality_percentile"], CultureInfo.InvariantCulture), 0, 100));

        // ipiqa score on the calibrated bundle: percentile thresholds and a percentile beside each score.
        var scored = _temp.Combine("scored.jsonl");
        var (exit, _, error) = await Commands.CliRunner.RunAsync("score", "--model", calibrated, "--input", gallery, "--out", scored, "--quality-threshold", "p50", "--provider", "Cpu", "--threads", "1");
        Assert.True(exit == ExitCodes.InputsFailed, error); // the gallery holds an image with no prompt
        var lines = File.ReadAllLines(scored).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).Where(l => l.TryGetProperty("scores", out _)).ToArray();
        Assert.Equal(qualities.Length, lines.Length);
        Assert.Equal(qualities.Length / 2, lines.Count(l => l.GetProperty("verdict").GetProperty("outcome").GetString() == "fail"));
        var lowest = lines.MinBy(l => l.GetProperty("scores").GetProperty("quality").GetDouble());
        var highest = lines.MaxBy(l => l.GetProperty("scores").GetProperty("quality").GetDouble());
        Assert.Equal(0, lowest.GetProperty("percentiles").GetProperty("quality").GetDouble(), 1);
        Assert.Equal(100, highest.GetProperty("percentiles").GetProperty("quality").GetDouble(), 1);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task APercentileThreshold_OnAnUncalibratedBundle_IsAClearError()
    {
        using var output = new StringWriter();
        var exit = await RescoreCommandRunner.RunAsync(Settings(Gallery()) with { QualityThreshold = "p20" }, output, CancellationToken.None);
        Assert.Equal(ExitCodes.Usage, exit);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task ADryRun_CountsAndSizesTheGallery_WithoutARun()
    {
        var gallery = Gallery();
        using var output = new StringWriter();

        var exit = await RescoreCommandRunner.RunAsync(Settings(gallery) with { DryRun = true, AssumedRate = 2 }, output, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exit);
        var bytes = Directory.GetFiles(gallery).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        var count = ReferenceBundle.Samples().Count + 1;
        Assert.Contains($"images:    {count} (1 with no prompt)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"size:      {bytes} bytes", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"estimate:  {TimeSpan.FromSeconds(count / 2.0):hh\\:mm\\:ss}", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("runs")));
    }
}
