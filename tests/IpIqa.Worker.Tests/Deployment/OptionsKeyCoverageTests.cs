using IpIqa.Worker.Configuration;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// The deployment files, the documentation and the code agree: every <c>IpIqa__</c> variable that
/// infra/ sets, and every key the README's configuration table lists, is bound by one of the worker's Options classes.
/// </summary>
public sealed class OptionsKeyCoverageTests
{
    public static TheoryData<string> AllDeploymentFiles => [.. DeploymentFiles.All().Append(DeploymentFiles.Dockerfile)];

    [Theory]
    [MemberData(nameof(AllDeploymentFiles))]
    public void Every_IpIqa_variable_in_a_deployment_file_is_bound_by_an_Options_class(string file)
    {
        var unbound = DeploymentVariables.MentionedIn(DeploymentFiles.FullPath(file))
            .Where(v => v.ConfigurationKey.StartsWith("IpIqa:", StringComparison.OrdinalIgnoreCase))
            .Where(v => !WorkerConfigurationSchema.Binds(v.ConfigurationKey))
            .Select(v => v.ToString())
            .ToArray();

        Assert.True(unbound.Length == 0, $"No Options property binds:\n{string.Join('\n', unbound)}");
    }

    [Fact]
    public void Every_documented_key_is_bound_by_an_Options_class()
    {
        var documented = DocumentedConfiguration.Load(DeploymentFiles.FullPath(DeploymentFiles.ConfigurationDoc));
        var unbound = documented.Keys
            .Where(k => k.StartsWith("IpIqa:", StringComparison.OrdinalIgnoreCase))
            .Where(k => !WorkerConfigurationSchema.Binds(k))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(unbound.Length == 0, $"Documented in {DeploymentFiles.ConfigurationDoc} but bound by no Options class: {string.Join(", ", unbound)}");
    }

    [Theory]
    [InlineData("IpIqa:ServiceBus:QueueName", true)]
    [InlineData("ipiqa:sinks:table:serviceuri", true)]
    [InlineData("IpIqa:Sinks:File:Path", true)]
    [InlineData("IpIqa:Blob:AllowedAccounts", true)]
    [InlineData("IpIqa:ServiceBus:QueueNmae", false)]
    [InlineData("IpIqa:Sinks:File:Path:Extra", false)]
    [InlineData("IpIqa:Nowhere:Key", false)]
    public void The_schema_binds_real_keys_and_rejects_misspelt_ones(string key, bool expected) =>
        Assert.Equal(expected, WorkerConfigurationSchema.Binds(key));
}
