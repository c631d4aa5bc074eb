using IpIqa.Cli.Rescoring;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary><c>ipiqa rescore</c> run again over an unchanged folder writes only a run record, the changes and the report (#19).</summary>
public sealed class NoChangeRerunTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private readonly TempDirectory _temp = new("no-change-rerun");

    public void Dispose() => _temp.Dispose();

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task ANoChangeRerun_WritesOnlyItsCheckpointTheChangesAndTheReport()
    {
        // 40 images (hard to score twice by accident: every one has a prompt) plus one with no prompt, which fails every night.
        var gallery = Directory.CreateDirectory(_temp.Combine("gallery")).FullName;
        var sample = ReferenceBundle.Samples()[0];
        for (var i = 0; i < 40; i++)
        {
            File.Copy(sample.Image, Path.Combine(gallery, $"s{i:D2}{Path.GetExtension(sample.Image)}"));
            File.WriteAllText(Path.Combine(gallery, $"s{i:D2}.txt"), sample.Prompt);
        }

        File.Copy(sample.Image, Path.Combine(gallery, "t-orphan.jpg"));
        var settings = new RescoreSettings
        {
            Model = reference.Folder, RunsRoot = _temp.Combine("runs"), Folder = gallery, PageSize = 8, BatchSize = 4, Threads = 1, Provider = ExecutionProvider.Cpu,
        };
        using var output = new StringWriter();
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));
        var first = Directory.GetDirectories(settings.RunsRoot).Single();

        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));
        var second = Directory.GetDirectories(settings.RunsRoot).Single(d => d != first);

        Assert.Contains("40 skipped", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["journal.jsonl", "report.html", "run.json"], Directory.GetFileSystemEntries(second).Select(Path.GetFileName).Where(f => f != "scratch").Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(second, "scratch")));
        var journal = File.ReadAllLines(Path.Combine(second, "journal.jsonl"));
        Assert.Single(journal, l => l.Contains("\"key\":\"t-orphan.jpg\"", StringComparison.Ordinal));
        Assert.True(new FileInfo(Path.Combine(second, "journal.jsonl")).Length < new FileInfo(Path.Combine(first, "journal.jsonl")).Length / 10, "the rerun journals the changes, not every image");
    }
}
