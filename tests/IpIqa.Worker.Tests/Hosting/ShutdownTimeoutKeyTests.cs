using IpIqa.TestSupport;
using IpIqa.Worker.Tests.Deployment;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>
/// The host's shutdown timeout is the key <c>shutdownTimeoutSeconds</c> (<c>DOTNET_shutdownTimeoutSeconds</c>
/// in the environment). <c>HostOptions:ShutdownTimeout</c>, which the docs once named, binds nothing.
/// </summary>
public sealed class ShutdownTimeoutKeyTests
{
    [Fact]
    public void ShutdownTimeoutSeconds_sets_the_host_shutdown_timeout()
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?> { ["shutdownTimeoutSeconds"] = "7" });

        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void HostOptions_ShutdownTimeout_is_not_read_and_the_default_stays()
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?> { ["HostOptions:ShutdownTimeout"] = "00:00:07" });

        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
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
