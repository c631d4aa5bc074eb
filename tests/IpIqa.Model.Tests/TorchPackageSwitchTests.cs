using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IpIqa.TestSupport;

namespace IpIqa.Model.Tests;

/// <summary>
/// One MSBuild property picks libtorch (docs/training.md): CPU by default, CUDA with <c>-p:IpIqaTorchCuda=true</c>.
/// The CUDA package is not in this project's NuGet mirror, so its switch is checked by evaluating the
/// project, without a restore; the default build is checked by what this test assembly was built with.
/// </summary>
public sealed class TorchPackageSwitchTests
{
    private static string ModelProject => Path.Combine(Fixtures.RepositoryRoot, "training", "IpIqa.Model", "IpIqa.Model.csproj");

    [Fact]
    public void DefaultBuild_RunsOnLibtorchCpu_WithNoCudaPackage()
    {
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "IpIqa.Model.Tests.deps.json"));

        Assert.Contains("\"libtorch-cpu-linux-x64/", deps, StringComparison.Ordinal);
        Assert.DoesNotContain("libtorch-cuda", deps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_ReferencesTheCpuPackage_Only()
    {
        var references = await PackageReferences();

        Assert.Contains("libtorch-cpu-linux-x64", references);
        Assert.DoesNotContain(references, r => r.StartsWith("libtorch-cuda", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IpIqaTorchCuda_ReferencesTheCudaPackage_InsteadOfTheCpuOne()
    {
        var references = await PackageReferences("-p:IpIqaTorchCuda=true");

        Assert.Contains("libtorch-cuda-12.8-linux-x64", references);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", references);
        Assert.Contains("TorchSharp", references);
    }

    [Fact]
    public void CentralVersions_PinBothLibtorchPackages_ToOneLibtorchVersion()
    {
        var props = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "Directory.Packages.props"));
        static string? Version(string props, string id) =>
            Regex.Match(props, $"Include=\"{Regex.Escape(id)}\" Version=\"([^\"]+)\"") is { Success: true } m ? m.Groups[1].Value : null;

        Assert.NotNull(Version(props, "libtorch-cpu-linux-x64"));
        Assert.Equal(Version(props, "libtorch-cpu-linux-x64"), Version(props, "libtorch-cuda-12.8-linux-x64"));
    }

    /// <summary>The PackageReference items of IpIqa.Model.csproj as MSBuild evaluates them (no restore, no build).</summary>
    private static async Task<string[]> PackageReferences(params string[] properties)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["msbuild", ModelProject, "-getItem:PackageReference", "-nologo", .. properties])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild exited {process.ExitCode}: {await error}");
        var items = JsonNode.Parse(await output)!["Items"]!["PackageReference"]!.AsArray();
        return [.. items.Select(i => (string)i!["Identity"]!)];
    }
}
