using System.Diagnostics;
using System.Text.Json;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Deployment;

/// <summary>Compiles a Bicep file of the repository to its ARM JSON with the pinned Bicep CLI (build/tools/bicep/bicep.sh, as CI does).</summary>
internal static class BicepTemplate
{
    public static async Task<JsonDocument> CompileAsync(string relativePath)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Fixtures.RepositoryRoot };
        foreach (var argument in (string[])["build/tools/bicep/bicep.sh", "build", relativePath, "--stdout"])
        {
            start.ArgumentList.Add(argument);
        }

        using var bicep = Process.Start(start)!;
        var stdout = bicep.StandardOutput.ReadToEndAsync();
        var stderr = bicep.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await bicep.WaitForExitAsync(timeout.Token);
        Assert.True(bicep.ExitCode == 0, $"bicep build {relativePath} exited {bicep.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout);
    }

    /// <summary>The resources of a template, whether listed (language version 1) or keyed by symbolic name (2.0).</summary>
    public static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray()
            : resources.EnumerateObject().Select(p => p.Value);
    }
}
