using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace IpIqa.TestSupport.Loopback;

/// <summary>
/// A Node.js stand-in server run as a child process. It is ready once it prints a JSON line with
/// <c>"event":"listening"</c>; it stops when its standard input closes, and is killed (with its
/// children) if it does not.
/// </summary>
public sealed class LoopbackProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);

    private readonly Process process;
    private readonly ConcurrentQueue<string> recentOutput = new();

    private LoopbackProcess(Process process, JsonElement ready)
    {
        this.process = process;
        Ready = ready;
    }

    /// <summary>The "listening" line the process printed (ports and settings).</summary>
    public JsonElement Ready { get; }

    /// <summary>The last lines the process wrote to stderr, for error messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, recentOutput);

    /// <summary>Starts <c>node SCRIPT ARGS</c> in <paramref name="folder"/> and waits until it listens.</summary>
    public static async Task<LoopbackProcess> StartAsync(
        string folder, string script, IEnumerable<string> arguments, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var node = NodeTools.Node ?? throw new InvalidOperationException(NodeTools.MissingReason());
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{node} {script}'.");
        var readyLine = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => Remember(recent, e.Data);
        process.OutputDataReceived += (_, e) =>
        {
            Remember(recent, e.Data);
            if (TryParseReady(e.Data, out var ready))
            {
                readyLine.TrySetResult(ready);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // lets the output readers reach the end, so the last lines are kept
            readyLine.TrySetException(new InvalidOperationException(
                $"'{script}' in '{folder}' exited with code {process.ExitCode} before it listened:{Environment.NewLine}{string.Join(Environment.NewLine, recent)}"));
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        try
        {
            var ready = await readyLine.Task.WaitAsync(startTimeout, cancellationToken);
            var started = new LoopbackProcess(process, ready);
            foreach (var line in recent)
            {
                started.recentOutput.Enqueue(line);
            }

            process.ErrorDataReceived += (_, e) => Remember(started.recentOutput, e.Data);
            return started;
        }
        catch (TimeoutException)
        {
            Kill(process);
            throw new TimeoutException(
                $"'{script}' in '{folder}' did not report listening within {startTimeout}:{Environment.NewLine}{string.Join(Environment.NewLine, recent)}");
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>Closes standard input (the stop signal), then kills the process tree if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(StopGrace);
            await process.WaitForExitAsync(grace.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            Kill(process);
        }
        finally
        {
            process.Dispose();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(StopGrace);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static bool TryParseReady(string? line, out JsonElement ready)
    {
        ready = default;
        if (line is null || !line.StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("event", out var kind) && kind.ValueEquals("listening"))
            {
                ready = document.RootElement.Clone();
                return true;
            }
        }
        catch (JsonException)
        {
            // Not the ready line.
        }

        return false;
    }

    private static void Remember(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > KeptLines)
        {
            lines.TryDequeue(out _);
        }
    }
}
