using IpIqa.Core.Errors;
using System.Diagnostics;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>An <c>ipiqa rescore</c> child process killed outright (SIGKILL), then resumed.</summary>
public sealed class RescoreKillTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const int Count = 400;
    private readonly TempDirectory _temp = new("rescore-kill");

    public void Dispose() => _temp.Dispose();

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task AKilledChildProcess_ResumesToExactlyOneResultPerImage()
    {
        var gallery = Directory.CreateDirectory(_temp.Combine("gallery")).FullName;
        for (var i = 0; i < Count; i++)
        {
            using var image = new Image<Rgb24>(16, 16, new Rgb24((byte)i, (byte)(i * 3), (byte)(255 - i)));
            await image.SaveAsPngAsync(Path.Combine(gallery, $"{i:D4}.png"));
            await File.WriteAllTextAsync(Path.Combine(gallery, $"{i:D4}.txt"), $"a flat square, shade {i}");
        }

        var runs = _temp.Combine("runs");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "ipiqa.dll"), "rescore", "--model", reference.Folder, "--folder", gallery,
                     "--runs", runs, "--page-size", "50", "--batch-size", "16", "--threads", "1", "--provider", "Cpu"])
        {
            start.ArgumentList.Add(argument);
        }

        int journalled;
        using (var child = Process.Start(start)!)
        {
            _ = child.StandardOutput.ReadToEndAsync();
            _ = child.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (RunJournals.LinesUnder(runs) < 80 && !child.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(10);
            }

            Assert.False(child.HasExited, $"the child ended before it was killed (exit {(child.HasExited ? child.ExitCode : 0)})");
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            journalled = RunJournals.LinesUnder(runs);
        }

        Assert.InRange(journalled, 80, Count - 1);
        var settings = new RescoreSettings
        {
            Model = reference.Folder, RunsRoot = runs, Folder = gallery, PageSize = 50, BatchSize = 16, Threads = 1, Provider = ExecutionProvider.Cpu,
        };
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));

        var run = Directory.GetDirectories(runs).Single();
        Assert.Contains("(resumed)", output.ToString(), StringComparison.Ordinal);
        var rows = RescoreFolderTests.ReadCsv(Path.Combine(run, "results.csv"));
        Assert.Equal(Count, rows.Count);
        Assert.Equal(Count, rows.Select(r => r["key"]).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("scored", r["status"]));
        Assert.Equal(Count, File.ReadAllLines(Path.Combine(run, "journal.jsonl")).Length);
    }
}
