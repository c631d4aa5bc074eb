using System.Diagnostics;
using IpIqa.TestSupport;
using IpIqa.Worker.Configuration;
using IpIqa.Worker.Tests.Deployment;
using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>
/// The host's shutdown timeout is the key <c>shutdownTimeoutSeconds</c> (<c>DOTNET_shutdownTimeoutSeconds</c>
/// in the environment). <c>HostOptions:ShutdownTimeout</c>, which the docs once named, binds nothing, so any
/// <c>HostOptions:</c> key stops the start with a message that names the key that works.
/// </summary>
public sealed class ShutdownTimeoutKeyTests
{
    [Fact]
    public void ShutdownTimeoutSeconds_sets_the_host_shutdown_timeout()
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?> { ["shutdownTimeoutSeconds"] = "7" });

        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData("HostOptions:ShutdownTimeout", "00:00:07")]
    [InlineData("hostoptions:shutdowntimeout", "00:00:07")]
    [InlineData("HostOptions:ServicesStopConcurrently", "true")]
    public void A_HostOptions_key_stops_the_start_and_names_the_key_that_works(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => WorkerHostFactory.Build(new Dictionary<string, string?> { [key] = value }));

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"{key} is not read by the host;", failure, StringComparison.OrdinalIgnoreCase); // keys are case-insensitive
        Assert.Contains("shutdownTimeoutSeconds (environment DOTNET_shutdownTimeoutSeconds", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_HostOptions_key_is_reported_beside_a_misspelt_IpIqa_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IpIqa:Model:BundelPath"] = "models/demo",
            ["HostOptions:ShutdownTimeout"] = "00:00:07",
        }).Build();

        var failures = UnknownKeyCheck.Find(configuration);

        Assert.Equal(2, failures.Count);
        Assert.StartsWith("HostOptions:ShutdownTimeout is not read", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("IpIqa:Model:BundelPath is not a configuration key", failures[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_process_exits_2_on_HostOptions__ShutdownTimeout_in_the_environment()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(WorkerProcess.WorkerDll);
        info.Environment["HostOptions__ShutdownTimeout"] = "00:00:07";
        info.Environment["IpIqa__Health__Port"] = "0";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("HostOptions:ShutdownTimeout is not read by the host; set the shutdown timeout with shutdownTimeoutSeconds", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configuration_reference_documents_the_key_that_works_and_no_doc_names_the_one_that_does_not()
    {
        var documented = DocumentedConfiguration.Load(DeploymentFiles.FullPath(DeploymentFiles.ConfigurationDoc));
        var naming = Directory.EnumerateFiles(Path.Combine(Fixtures.RepositoryRoot, "docs"), "*.md")
            .Append(Path.Combine(Fixtures.RepositoryRoot, "README.md"))
            .Where(file => File.ReadAllText(file).Contains("HostOptions:ShutdownTimeout", StringComparison.Ordinal))
            .Where(file => !file.EndsWith(DeploymentFiles.ConfigurationDoc.Replace('/', Path.DirectorySeparatorChar), StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToArray();

        Assert.True(documented.Contains("shutdownTimeoutSeconds"), $"{DeploymentFiles.ConfigurationDoc} has no row for shutdownTimeoutSeconds");
        Assert.True(naming.Length == 0, $"HostOptions:ShutdownTimeout binds nothing, yet these name it: {string.Join(", ", naming)}");
    }
}
