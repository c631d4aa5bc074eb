using System.Diagnostics;
using System.Text;

namespace IpIqa.Worker.Tests.Support;

/// <summary>The built worker (<c>dotnet ipiqa-worker.dll</c>) as a separate process, configured by environment variables.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _receiving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    public static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "ipiqa-worker.dll");

    /// <summary>What the worker wrote so far (for a failing test's message).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(WorkerDll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits until the model is loaded and the worker receives.</summary>
    public async Task WaitUntilReceivingAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        await Task.WhenAny(_receiving.Task, exited, Task.Delay(timeout));

        // A drain with nothing left logs "receiving" and exits at once: both tasks may be done, so the
        // log line decides, not which task finished first.
        if (!_receiving.Task.IsCompleted)
        {
            throw new InvalidOperationException($"The worker did not start receiving ({(_process.HasExited ? $"exit code {_process.ExitCode}" : "timed out")}):\n{Output}");
        }
    }

    /// <summary>Waits for the worker to exit by itself (a drain); false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        return await Task.WhenAny(exited, Task.Delay(timeout)) == exited;
    }

    /// <summary>SIGKILL: no shutdown, no settlement; in-flight messages come back when their leases expire.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("loaded; receiving from", StringComparison.Ordinal))
        {
            _receiving.TrySetResult();
        }
    }
}
