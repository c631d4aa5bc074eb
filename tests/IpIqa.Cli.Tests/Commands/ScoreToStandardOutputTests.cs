using System.Diagnostics;
using System.Text.Json;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary><c>ipiqa score --out -</c>, run as its own process: stdout holds exactly one JSON result line per input, and nothing else.</summary>
public sealed class ScoreToStandardOutputTests
{
    [Fact]
    public async Task Out_dash_writes_one_result_line_per_input_to_stdout_and_the_summary_to_stderr()
    {
        var samples = Path.Combine(Fixtures.RepositoryRoot, "samples");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ipiqa.dll"), "score", "--model", Path.Combine(Fixtures.RepositoryRoot, "models", "demo"), "--input", samples, "--out", "-", "--provider", "Cpu", "--threads", "1" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Directory.GetFiles(samples, "*.png").Length, lines.Length);
        Assert.All(lines, line => Assert.True(JsonDocument.Parse(line).RootElement.TryGetProperty("scores", out _), line));
        Assert.Contains("images/s", await stderr, StringComparison.Ordinal);
    }
}
