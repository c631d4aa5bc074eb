using System.Diagnostics;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Headless Chromium (Debian <c>chromium</c>, or <c>IPIQA_CHROMIUM</c>) for rendering reports in tests.</summary>
internal static class Chromium
{
    public static string? Executable =>
        Environment.GetEnvironmentVariable("IPIQA_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured) ? configured
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Headless, no sandbox, GPU or network of its own, and its own profile folder.</summary>
    public static string[] CommonArguments(string profile) =>
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={profile}"];

    /// <summary>Runs Chromium headless on <paramref name="html"/> with <paramref name="action"/> (<c>--dump-dom</c> or <c>--screenshot=PATH</c>); returns stdout.</summary>
    public static async Task<string> RunAsync(string html, string action, string profile, TimeSpan timeout, params string[] extra)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("Chromium is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. CommonArguments(profile), .. extra, action, new Uri(html).AbsoluteUri])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish in {timeout}: {await stderr}");
        }

        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"Chromium exited with {process.ExitCode}: {await stderr}");
    }
}
