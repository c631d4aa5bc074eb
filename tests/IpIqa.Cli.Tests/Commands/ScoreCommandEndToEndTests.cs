using System.Globalization;
using System.Text.Json;
using IpIqa.Cli.Commands;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Support;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary><c>ipiqa score</c> on the exported reference bundle, over a temp folder and a CSV manifest.</summary>
public sealed class ScoreCommandEndToEndTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly TempDirectory _temp = new("score-e2e");

    public void Dispose() => _temp.Dispose();

    private ScoreSettings Settings(string input, string output, double? quality = null) =>
        new(reference.Folder, input, output, new Thresholds(quality, null), 4, 1, ExecutionProvider.Cpu);

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task AFolderIsScoredInOrder_MatchingTheReference_WithOrphansAndBrokenImagesReported()
    {
        var samples = ReferenceBundle.Samples();
        var images = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, Path.Combine(images, name));
            File.WriteAllText(Path.Combine(images, Path.ChangeExtension(name, ".txt")), samples[i].Prompt);
        }

        File.Copy(samples[0].Image, Path.Combine(images, "t-orphan.jpg"));
        File.WriteAllBytes(Path.Combine(images, "u-broken.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
        File.WriteAllText(Path.Combine(images, "u-broken.txt"), "a broken file");
        var output = _temp.Combine("results.jsonl");
        var qualities = ReferenceBundle.Scores().Where((_, i) => i % 2 == 0).Order().ToArray();
        var threshold = (qualities[2] + qualities[3]) / 2.0; // halfway between two scores, so every verdict is clear

        var exit = await ScoreRunner.RunAsync(Settings(images, output, threshold), CancellationToken.None);

        Assert.Equal(ExitCodes.InputsFailed, exit);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(samples.Count + 2, lines.Length);
        var expected = ReferenceBundle.Scores();
        for (var i = 0; i < samples.Count; i++)
        {
            var line = lines[i];
            Assert.StartsWith($"s{i}.", line.GetProperty("image").GetProperty("path").GetString(), StringComparison.Ordinal);
            var scores = line.GetProperty("scores");
            Assert.InRange(scores.GetProperty("quality").GetDouble(), expected[i * 2] - Tolerance, expected[i * 2] + Tolerance);
            Assert.InRange(scores.GetProperty("alignment").GetDouble(), expected[(i * 2) + 1] - Tolerance, expected[(i * 2) + 1] + Tolerance);
            var pass = expected[i * 2] >= threshold;
            var verdict = line.GetProperty("verdict");
            Assert.Equal(pass ? "pass" : "fail", verdict.GetProperty("outcome").GetString());
            Assert.Equal(pass ? 0 : 1, verdict.GetProperty("failed").GetArrayLength());
            Assert.Equal("ipiqa-reference", line.GetProperty("model").GetProperty("name").GetString());
        }

        Assert.Equal(ErrorCodes.PromptMissing, lines[^2].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("t-orphan.jpg", lines[^2].GetProperty("image").GetProperty("path").GetString());
        Assert.Equal("u-broken.png", lines[^1].GetProperty("image").GetProperty("path").GetString());
        Assert.StartsWith("image_", lines[^1].GetProperty("error").GetProperty("code").GetString(), StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task ACsvManifestGivesACsvOfTheSameScores()
    {
        var samples = ReferenceBundle.Samples();
        var manifest = _temp.Combine("manifest.csv");
        File.WriteAllLines(manifest, ["image,prompt", .. samples.Select(s => $"{CsvField.Quote(s.Image)},{CsvField.Quote(s.Prompt)}"), "missing.png,\"a prompt, quoted\""]);
        var output = _temp.Combine("out", "results.csv");

        var exit = await ScoreRunner.RunAsync(Settings(manifest, output), CancellationToken.None);

        Assert.Equal(ExitCodes.InputsFailed, exit);
        using var text = new StreamReader(output);
        using var reader = new CsvRecordReader(text);
        var header = reader.Read()!.ToList();
        var expected = ReferenceBundle.Scores();
        for (var i = 0; i < samples.Count; i++)
        {
            var row = reader.Read()!;
            Assert.Equal(samples[i].Prompt, row[header.IndexOf("prompt")]);
            var quality = double.Parse(row[header.IndexOf("quality")], CultureInfo.InvariantCulture);
            Assert.InRange(quality, expected[i * 2] - Tolerance, expected[i * 2] + Tolerance);
        }

        var last = reader.Read()!;
        Assert.Equal(ErrorCodes.ImageNotFound, last[header.IndexOf("error_code")]);
        Assert.Equal("a prompt, quoted", last[header.IndexOf("prompt")]);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task AParquetManifestGivesAParquetOfTheSameScores()
    {
        var samples = ReferenceBundle.Samples();
        var manifest = _temp.Combine("manifest.parquet");
        await Scoring.ParquetFiles.WriteStringsAsync(manifest, ["image", "prompt"], [.. samples.Select(s => new string?[] { s.Image, s.Prompt }), ["missing.png", null]]);
        var output = _temp.Combine("out", "results.parquet");

        var exit = await ScoreRunner.RunAsync(Settings(manifest, output), CancellationToken.None);

        Assert.Equal(ExitCodes.InputsFailed, exit);
        var (_, _, rows) = await Scoring.ParquetFiles.ReadAsync(output);
        Assert.Equal(samples.Count + 1, rows.Count);
        var expected = ReferenceBundle.Scores();
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].Prompt, rows[i]["prompt"]);
            Assert.InRange((double)rows[i]["quality"]!, expected[i * 2] - Tolerance, expected[i * 2] + Tolerance);
            Assert.InRange((double)rows[i]["alignment"]!, expected[(i * 2) + 1] - Tolerance, expected[(i * 2) + 1] + Tolerance);
        }

        Assert.Equal(ErrorCodes.PromptMissing, rows[^1]["error_code"]);
        Assert.Null(rows[^1]["quality"]);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task ABundleWithAChangedGraphStopsWithAnErrorExitInsteadOfCrashing()
    {
        using var copy = new TempDirectory("tampered");
        foreach (var file in Directory.GetFiles(reference.Folder))
        {
            File.Copy(file, copy.Combine(Path.GetFileName(file)));
        }

        await File.AppendAllTextAsync(copy.Combine("image.onnx"), "x");
        File.WriteAllText(_temp.Combine("m.jsonl"), "");

        var exit = await ScoreRunner.RunAsync(Settings(_temp.Combine("m.jsonl"), _temp.Combine("r.jsonl")) with { Model = copy.Path }, CancellationToken.None);
        var inspect = InspectCommand.Run(copy.Path, TextWriter.Null);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(InspectCommand.ExitInvalid, inspect);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void InspectPrintsTheSummaryAndVerifiesASoundBundle()
    {
        using var output = new StringWriter();

        var exit = InspectCommand.Run(reference.Folder, output);

        Assert.Equal(InspectCommand.ExitOk, exit);
        var identity = Inference.Bundles.ModelBundleLoader.Load(reference.Folder).Identity;
        Assert.Contains(identity.Hash, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("all file hashes match", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("image.onnx fp32 opset 17", output.ToString(), StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void InspectShowsThePrecisionOfEachGraph_Fp16ImageGraphAndFp32TextGraph()
    {
        using var folder = new TempDirectory("fp16-bundle");
        ReferenceBundle.ExportTo(folder.Path, Core.Bundles.BundlePrecision.Fp16);
        using var output = new StringWriter();

        var exit = InspectCommand.Run(folder.Path, output);

        Assert.Equal(InspectCommand.ExitOk, exit);
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("graph image", StringComparison.Ordinal) && l.Contains("image.onnx fp16 opset 17", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("graph text", StringComparison.Ordinal) && l.Contains("text.onnx fp32 opset 17", StringComparison.Ordinal));
    }

    [Fact]
    public void InspectShowsTheBundlesProvenanceAndHeldOutMetrics()
    {
        var demo = Path.Combine(Fixtures.RepositoryRoot, "models", "demo");
        var provenance = Core.Bundles.BundleManifestSerializer.ReadFromFolder(demo).Provenance!;
        using var output = new StringWriter();

        var exit = InspectCommand.Run(demo, output);

        Assert.Equal(InspectCommand.ExitOk, exit);
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("  data", StringComparison.Ordinal) && l.Contains(provenance.Data!, StringComparison.Ordinal));
        var srcc = provenance.Metrics!["quality.srcc"].ToString("0.####", CultureInfo.InvariantCulture);
        Assert.Contains(lines, l => l.StartsWith("  quality.srcc", StringComparison.Ordinal) && l.TrimEnd().EndsWith(srcc, StringComparison.Ordinal));
    }
}
