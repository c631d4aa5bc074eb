using System.Diagnostics;

namespace IpIqa.Training.Tests.Support;

/// <summary>Finds a Python interpreter that can <c>import onnx</c> (Debian's python3-onnx lives under /usr/bin/python3).</summary>
internal static class PythonOnnx
{
    private static readonly Lazy<string?> LazyInterpreter = new(Find);

    public static string? Interpreter => LazyInterpreter.Value;

    public static string SkipReason =>
        "No python3 with the onnx package (tried python3 and /usr/bin/python3); install python3-onnx to run onnx.checker.";

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; returns the exit code and the combined output.</summary>
    public static (int ExitCode, string Output) Run(string interpreter, string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {interpreter}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr);
    }

    private static string? Find()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                if (Run(candidate, "import onnx").ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under that name.
            }
        }

        return null;
    }
}
