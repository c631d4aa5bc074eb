using System.Diagnostics;

namespace IpIqa.TestSupport.Loopback;

/// <summary>
/// A folder with a package.json and package-lock.json whose node_modules is installed with
/// <c>npm ci</c> on first use. A file lock keeps parallel test processes from installing at once.
/// </summary>
public static class NpmPackageFolder
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The folder under <c>tests/</c> of the repository, e.g. "servicebus-double".</summary>
    public static string UnderTests(string name) => Path.Combine(Fixtures.RepositoryRoot, "tests", name);

    /// <summary>True when node_modules was installed after the last change to package-lock.json.</summary>
    public static bool IsInstalled(string folder)
    {
        var installed = Path.Combine(folder, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(folder, "package-lock.json");
        return File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockFile);
    }

    /// <summary>Runs <c>npm ci</c> in <paramref name="folder"/> unless it is already installed.</summary>
    public static async Task EnsureInstalledAsync(string folder, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(folder, "package-lock.json")))
        {
            throw new FileNotFoundException($"No package-lock.json in '{folder}'.", Path.Combine(folder, "package-lock.json"));
        }

        if (IsInstalled(folder))
        {
            return;
        }

        using var gate = await AcquireLockAsync(Path.Combine(folder, ".npm-install.lock"), cancellationToken);
        if (IsInstalled(folder))
        {
            return; // another process installed it while this one waited
        }

        var npm = NodeTools.Npm ?? throw new InvalidOperationException(NodeTools.MissingReason());
        await RunNpmCiAsync(npm, folder, cancellationToken);
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InstallTimeout);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(LockPollInterval, timeout.Token);
            }
        }
    }

    private static async Task RunNpmCiAsync(string npm, string folder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{npm}'.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'npm ci' in '{folder}' did not finish within {InstallTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            var log = (await output + await error).Trim();
            throw new InvalidOperationException(
                $"'npm ci' in '{folder}' failed with exit code {process.ExitCode}: {Tail(log, 2000)}");
        }
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : "..." + text[^length..];
}
