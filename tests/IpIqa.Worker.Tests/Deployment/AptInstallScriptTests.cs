using System.Diagnostics;
using IpIqa.TestSupport;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// build/apt-install.sh, which the Dockerfile's runtime stages install through, run against stand-in
/// apt-get, apt-cache and apt-config commands that know one distribution's package names.
/// </summary>
public sealed class AptInstallScriptTests
{
    private const string Script = "build/apt-install.sh";

    // The names each base's distribution has (the packages the Dockerfile asks for).
    private const string Ubuntu2404 = "ca-certificates libssl3t64 zlib1g libturbojpeg libwebp7";
    private const string Debian12 = "ca-certificates libssl3 zlib1g libturbojpeg0 libwebp7";

    [Theory]
    [InlineData(Ubuntu2404, "ca-certificates libssl3t64 zlib1g libturbojpeg libwebp7")]
    [InlineData(Debian12, "ca-certificates libssl3 zlib1g libturbojpeg0 libwebp7")]
    public async Task Each_alternative_list_installs_the_first_name_the_distribution_has(string known, string installed)
    {
        using var apt = new StandInApt(known);

        var (exit, _, error) = await apt.RunAsync("ca-certificates", "libssl3t64|libssl3", "zlib1g", "libturbojpeg|libturbojpeg0", "libwebp7");

        Assert.True(exit == 0, error);
        Assert.Equal(["update -qq", $"install -y --no-install-recommends {installed}"], apt.AptGetCalls());
        Assert.Empty(Directory.EnumerateFileSystemEntries(apt.Lists));
    }

    [Fact]
    public async Task A_package_the_distribution_lacks_under_every_name_stops_the_install_naming_it()
    {
        using var apt = new StandInApt(Debian12);

        var (exit, _, error) = await apt.RunAsync("libwebp7", "libturbojpeg|libturbojpeg2");

        Assert.Equal(1, exit);
        Assert.Contains("none of 'libturbojpeg|libturbojpeg2' is available", error, StringComparison.Ordinal);
        Assert.DoesNotContain(apt.AptGetCalls(), call => call.StartsWith("install", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Dockerfile_lists_the_Ubuntu_2404_name_first_and_the_Debian_12_name_second()
    {
        var dockerfile = File.ReadAllText(DeploymentFiles.FullPath(DeploymentFiles.Dockerfile));
        Assert.Contains("ARG NATIVE_DECODERS=\"libturbojpeg|libturbojpeg0 libwebp7 libspng0 libdeflate0\"", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\"libssl3t64|libssl3\"", dockerfile, StringComparison.Ordinal);
    }

    /// <summary>A folder of stand-in apt commands put first on PATH, and the lists folder apt-config names.</summary>
    private sealed class StandInApt : IDisposable
    {
        private readonly TempDirectory _folder = new("apt-install");
        private readonly string _path;

        public StandInApt(string knownPackages)
        {
            var bin = Directory.CreateDirectory(_folder.Combine("bin")).FullName;
            Lists = Directory.CreateDirectory(_folder.Combine("lists")).FullName + "/";
            File.WriteAllText(Path.Combine(Lists, "deb.debian.org_debian_dists_bookworm_InRelease"), "stale");
            Write(bin, "apt-get", $"echo \"$*\" >> '{_folder.Combine("apt-get.calls")}'");
            Write(bin, "apt-config", $"echo \"lists='{Lists}'\"");
            // apt-cache show --no-all-versions NAME prints a record only for a package it knows.
            Write(bin, "apt-cache", $"for p in {knownPackages}; do [ \"$p\" = \"$3\" ] && {{ echo \"Package: $p\"; exit 0; }}; done; exit 100");
            _path = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        public string Lists { get; }

        public IReadOnlyList<string> AptGetCalls()
        {
            var calls = _folder.Combine("apt-get.calls");
            return File.Exists(calls) ? File.ReadAllLines(calls) : [];
        }

        public async Task<(int Exit, string Output, string Error)> RunAsync(params string[] packages)
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Fixtures.RepositoryRoot };
            start.Environment["PATH"] = _path;
            foreach (var argument in (string[])[Script, .. packages])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }

        public void Dispose() => _folder.Dispose();

        private static void Write(string bin, string name, string body)
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }
}
