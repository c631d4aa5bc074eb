using System.Text.Json;
using IpIqa.Cli.Benchmarks;
using IpIqa.Cli.Commands;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary>Images that are links are read, sized and capped by their target in <c>ipiqa score</c> and <c>bench e2e</c> (#11).</summary>
public sealed class LinkedImageTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly TempDirectory _temp = new("linked-images");

    public void Dispose() => _temp.Dispose();

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Score_reads_linked_images_from_their_targets_and_matches_the_reference()
    {
        var images = LinkedSampleFolder();
        var output = _temp.Combine("results.jsonl");

        var exit = await ScoreRunner.RunAsync(new ScoreSettings(reference.Folder, images, output, new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu), CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exit);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var expected = ReferenceBundle.Scores();
        Assert.Equal(ReferenceBundle.Samples().Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.False(lines[i].TryGetProperty("error", out var error), $"line {i + 1}: {error}");
            var scores = lines[i].GetProperty("scores");
            Assert.InRange(scores.GetProperty("quality").GetDouble(), expected[i * 2] - Tolerance, expected[i * 2] + Tolerance);
            Assert.InRange(scores.GetProperty("alignment").GetDouble(), expected[(i * 2) + 1] - Tolerance, expected[(i * 2) + 1] + Tolerance);
        }
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Score_caps_a_linked_image_by_its_target_size()
    {
        var images = Directory.CreateDirectory(_temp.Combine("big")).FullName;
        var target = _temp.Combine("huge.png");
        using (var file = File.Create(target))
        {
            file.SetLength(64L * 1024 * 1024); // beyond the default MaxBytes; the link itself is a few dozen bytes
        }

        File.CreateSymbolicLink(Path.Combine(images, "huge.png"), target);
        File.WriteAllText(Path.Combine(images, "huge.txt"), "a very large file");
        var output = _temp.Combine("big.jsonl");

        await ScoreRunner.RunAsync(new ScoreSettings(reference.Folder, images, output, new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu), CancellationToken.None);

        var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(output))).RootElement;
        Assert.Equal(ErrorCodes.ImageTooLarge, line.GetProperty("error").GetProperty("code").GetString());
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Bench_e2e_scores_linked_images_without_failures()
    {
        var images = LinkedSampleFolder();
        using var output = new StringWriter();

        var exit = await BenchE2eCommand.RunAsync(new E2eSettings(reference.Folder, images, 4, 1, ExecutionProvider.Cpu) { Repeat = 1 }, output, CancellationToken.None);

        Assert.Equal(0, exit);
        var report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(ReferenceBundle.Samples().Count, report.GetProperty("images").GetInt32());
        Assert.Equal(0, report.GetProperty("failures").GetInt32());
    }

    /// <summary>A folder of relative links to copies of the samples kept in a sibling folder, each with its prompt.</summary>
    private string LinkedSampleFolder()
    {
        var store = Directory.CreateDirectory(_temp.Combine("store")).FullName;
        var images = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        var samples = ReferenceBundle.Samples();
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, Path.Combine(store, name));
            File.CreateSymbolicLink(Path.Combine(images, name), Path.Combine("..", "store", name));
            File.WriteAllText(Path.Combine(images, Path.ChangeExtension(name, ".txt")), samples[i].Prompt);
        }

        return images;
    }
}
