using System.Diagnostics;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.Worker.Tests.Support;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>The built worker's command line: <c>--help</c>, and the exit codes of <c>--drain</c> that a pipeline gates on.</summary>
public sealed class WorkerCommandLineTests : IDisposable
{
    private readonly TempDirectory _temp = new("worker-cli");

    public void Dispose() => _temp.Dispose();

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(WorkerProcess.WorkerDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["IpIqa__Health__Port"] = "0";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The worker ({string.Join(' ', args)}) was still running after 2 minutes.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A jobs file over the bundled samples: the given sample names, plus an image that does not exist when asked.</summary>
    private string Jobs(bool withMissingImage, double quality)
    {
        var lines = new[] { "good-clean", "degraded-heavy" }
            .Select(name => $$$"""{"jobId":"{{{name}}}","image":{"path":"{{{name}}}.png"},"prompt":"two red stars on the right, flat style","thresholds":{"quality":{{{quality.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}""")
            .ToList();
        if (withMissingImage)
        {
            lines.Add("""{"jobId":"missing","image":{"path":"no-such-image.png"},"prompt":"anything"}""");
        }

        var path = _temp.Combine($"jobs-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    private Task<(int Exit, string Stdout, string Stderr)> DrainAsync(string jobs, params string[] extra) =>
        RunAsync(
            Fixtures.RepositoryRoot,
            [
                "--drain",
                $"--IpIqa:Local:JobsPath={jobs}",
                $"--IpIqa:Local:ResultsPath={_temp.Combine($"results-{Guid.NewGuid():N}.jsonl")}",
                "--IpIqa:Model:ExecutionProvider=Cpu",
                .. extra,
            ]);

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0_without_starting()
    {
        var (exit, stdout, stderr) = await RunAsync(_temp.Path, "--help");

        Assert.Equal(0, exit);
        Assert.StartsWith("Usage: ipiqa-worker", stdout, StringComparison.Ordinal);
        Assert.Contains("--drain", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Model", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("loaded", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drain_where_every_job_scored_exits_0_even_with_rejections()
    {
        var (exit, stdout, stderr) = await DrainAsync(Jobs(withMissingImage: false, quality: 100));

        Assert.True(exit == ExitCodes.Ok, stdout + stderr);
        Assert.Contains("scored 2 (rejected 2), errors 0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drain_with_a_job_that_could_not_be_scored_exits_1()
    {
        var (exit, stdout, stderr) = await DrainAsync(Jobs(withMissingImage: true, quality: 0));

        Assert.True(exit == ExitCodes.InputsFailed, stdout + stderr);
        Assert.Contains("scored 2 (rejected 0), errors 1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_verdict_makes_a_rejection_exit_1()
    {
        var (exit, stdout, stderr) = await DrainAsync(Jobs(withMissingImage: false, quality: 100), "--fail-on-verdict");

        Assert.True(exit == ExitCodes.InputsFailed, stdout + stderr);
    }

    [Fact]
    public async Task Cuda_asked_for_where_it_cannot_start_stops_the_start_with_one_message_and_exit_2()
    {
        // The test build carries the CPU ONNX Runtime package, so CUDA cannot start here; the last value of a key wins.
        var (exit, stdout, stderr) = await DrainAsync(Jobs(withMissingImage: false, quality: 2.5), "--IpIqa:Model:ExecutionProvider=Cuda");

        Assert.True(exit == ExitCodes.Usage, $"exit {exit}: {stdout}{stderr}");
        Assert.Contains("IpIqa:Model:ExecutionProvider is Cuda", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("scored", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_results_file_of_another_shape_stops_the_start_with_one_message_and_exit_2()
    {
        var foreign = _temp.Combine("scores.jsonl");
        File.WriteAllText(foreign, """{"image":"good-clean.png","prompt":"two red stars","scores":{"quality":2.7,"alignment":4.3}}""" + "\n");

        var (exit, stdout, stderr) = await RunAsync(Fixtures.RepositoryRoot, "--drain", $"--IpIqa:Local:ResultsPath={foreign}");

        Assert.True(exit == ExitCodes.Usage, stdout + stderr);
        Assert.Contains($"IpIqa:Local:ResultsPath '{foreign}' is not a worker results file: line 1 is not a worker result line", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(foreign));
    }

    [Theory]
    [InlineData("--drian", "'--drian' is not an option; did you mean --drain?")]
    [InlineData("--fail-on-verdit", "'--fail-on-verdit' is not an option; did you mean --fail-on-verdict?")]
    [InlineData("drain", "'drain' is not an option")]
    [InlineData("-drain", "'-drain' is not an option; did you mean --drain?")]
    [InlineData("--IpIqa:Local:ImageRoot", "'--IpIqa:Local:ImageRoot' has no value")]
    public async Task A_mistyped_option_stops_the_start_with_one_message_and_exit_2(string mistake, string message)
    {
        // Before the check, a mistyped flag was a configuration key that took the next argument as its value (or was
        // dropped): the worker started without --drain and ran until it was stopped.
        string[] args = [mistake, "--drain", $"--IpIqa:Local:JobsPath={Jobs(withMissingImage: false, quality: 0)}", "--IpIqa:Model:ExecutionProvider=Cpu"];
        var (exit, stdout, stderr) = await RunAsync(Fixtures.RepositoryRoot, mistake == "--IpIqa:Local:ImageRoot" ? [.. args[1..], mistake] : args);

        Assert.True(exit == ExitCodes.Usage, $"exit {exit}: {stdout}{stderr}");
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("ipiqa-worker --help", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("scored", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_given_as_a_key_and_then_its_value_is_read()
    {
        var (exit, stdout, stderr) = await DrainAsync(Jobs(withMissingImage: false, quality: 0), "--IpIqa:Local:ImageRoot", "samples");

        Assert.True(exit == ExitCodes.Ok, stdout + stderr);
        Assert.Contains("scored 2 (rejected 0), errors 0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_transport_kind_names_the_kinds_there_are()
    {
        var (exit, stdout, stderr) = await DrainAsync(Jobs(withMissingImage: false, quality: 0), "--IpIqa:Transport:Kind=Htp");

        Assert.True(exit == ExitCodes.Usage, $"exit {exit}: {stdout}{stderr}");
        Assert.Contains("IpIqa:Transport:Kind 'Htp' is not one of Local, ServiceBus, StorageQueue, Http", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jobs_path_that_does_not_exist_stops_the_start_with_one_message_and_exit_2()
    {
        var missing = _temp.Combine("no-such-jobs.jsonl");

        var (exit, stdout, stderr) = await DrainAsync(missing);

        Assert.True(exit == ExitCodes.Usage, $"exit {exit}: {stdout}{stderr}");
        Assert.Contains($"IpIqa:Local:JobsPath '{missing}' is neither a JSONL file nor a folder", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }
}
