using IpIqa.TestSupport;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// Every IpIqa__ variable that infra/ sets must be a key documented in the README's configuration table,
/// the worker definitions must set every key production needs, and the rescoring definitions none.
/// </summary>
public sealed class ConfigurationKeyCoverageTests
{
    private static readonly DocumentedConfiguration Documented =
        DocumentedConfiguration.Load(DeploymentFiles.FullPath(DeploymentFiles.ConfigurationDoc));

    public static TheoryData<string> AllDeploymentFiles => [.. DeploymentFiles.All().Append(DeploymentFiles.Dockerfile)];

    [Theory]
    [MemberData(nameof(AllDeploymentFiles))]
    public void Every_IpIqa_variable_in_a_deployment_file_maps_to_a_documented_key(string file)
    {
        var undocumented = DeploymentVariables.MentionedIn(DeploymentFiles.FullPath(file))
            .Where(v => !Documented.Contains(v.ConfigurationKey))
            .Select(v => v.ToString())
            .ToArray();

        Assert.True(undocumented.Length == 0, $"Not in {DeploymentFiles.ConfigurationDoc}:\n{string.Join('\n', undocumented)}");
    }

    [Theory]
    [MemberData(nameof(AllDeploymentFiles))]
    public void No_deployment_file_sets_a_development_only_connection_string(string file)
    {
        var connectionStrings = DeploymentVariables.MentionedIn(DeploymentFiles.FullPath(file))
            .Where(v => v.ConfigurationKey.EndsWith(":ConnectionString", StringComparison.OrdinalIgnoreCase))
            .Select(v => v.ToString())
            .ToArray();

        Assert.True(connectionStrings.Length == 0, $"Production authenticates with managed identity:\n{string.Join('\n', connectionStrings)}");
    }

    [Theory]
    [InlineData(DeploymentFiles.WorkerApp)]
    [InlineData(DeploymentFiles.WorkerDeployment)]
    public void The_worker_definition_sets_every_production_key(string file) =>
        AssertSetsAll(file, ProductionKeys.Worker);

    [Theory]
    [InlineData(DeploymentFiles.HttpApiApp)]
    [InlineData(DeploymentFiles.HttpApiDeployment)]
    public void The_scoring_API_definition_sets_every_production_key(string file) =>
        AssertSetsAll(file, ProductionKeys.HttpApi);

    [Theory]
    [InlineData(DeploymentFiles.RescoreJob)]
    [InlineData(DeploymentFiles.RescoreCronJob)]
    public void The_rescoring_definition_sets_no_IpIqa_variable_since_ipiqa_rescore_reads_none(string file)
    {
        // Its settings are arguments (checked against the real parser in IpIqa.Cli.Tests, DeployedRescoreArgumentsTests).
        var set = DeploymentFiles.VariablesSetIn(file)
            .Where(v => v.Name.StartsWith("IpIqa__", StringComparison.OrdinalIgnoreCase))
            .Select(v => v.ToString())
            .ToArray();

        Assert.True(set.Length == 0, $"ipiqa rescore reads no configuration, yet {file} sets:\n{string.Join('\n', set)}");
    }

    [Theory]
    [InlineData(DeploymentFiles.WorkerApp)]
    [InlineData(DeploymentFiles.WorkerDeployment)]
    public void The_transport_is_Service_Bus(string file)
    {
        var kind = Assert.Single(DeploymentFiles.VariablesSetIn(file), v => v.ConfigurationKey == "IpIqa:Transport:Kind");
        Assert.Equal("ServiceBus", kind.Value?.Trim('\''));
    }

    [Fact]
    public void Every_production_key_is_documented()
    {
        var missing = ProductionKeys.Worker.Concat(ProductionKeys.HttpApi).Where(k => !Documented.Contains(k)).ToArray();
        Assert.True(missing.Length == 0, $"Required but not in {DeploymentFiles.ConfigurationDoc}: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("IpIqa__ServiceBus__QueueName", "IpIqa:ServiceBus:QueueName")]
    [InlineData("IPIQA__SINKS__TABLE__SERVICEURI", "IPIQA:SINKS:TABLE:SERVICEURI")]
    [InlineData("IpIqa__Blob__AllowedAccounts__0", "IpIqa:Blob:AllowedAccounts")]
    [InlineData("IpIqa__Blob__AllowedContainers__12", "IpIqa:Blob:AllowedContainers")]
    public void An_environment_variable_maps_to_its_configuration_key(string variable, string key) =>
        Assert.Equal(key, DocumentedConfiguration.ToConfigurationKey(variable));

    [Fact]
    public void An_undocumented_variable_in_a_Bicep_file_is_reported()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("app.bicep");
        File.WriteAllText(path, """
            env: [
              { name: 'IpIqa__ServiceBus__QueueName', value: 'jobs' }
              { name: 'IpIqa__ServiceBus__QueueNmae', value: 'typo' }
            ]
            """);

        var set = DeploymentVariables.SetInBicep(path);
        var undocumented = DeploymentVariables.MentionedIn(path).Where(v => !Documented.Contains(v.ConfigurationKey)).ToArray();

        Assert.Equal(["IpIqa__ServiceBus__QueueName", "IpIqa__ServiceBus__QueueNmae"], set.Select(v => v.Name));
        var typo = Assert.Single(undocumented);
        Assert.Equal(("IpIqa:ServiceBus:QueueNmae", 3), (typo.ConfigurationKey, typo.Line));
    }

    [Fact]
    public void An_undocumented_variable_in_a_Kubernetes_env_list_is_reported()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("deployment.yaml");
        File.WriteAllText(path, """
            spec:
              containers:
                - name: worker
                  env:
                    - name: IpIqa__Model__BundlePath
                      value: /models
                    - name: IpIqa__Model__Bundle
                      value: /models
            """);

        var set = DeploymentVariables.SetInYaml(path);

        Assert.Equal(["IpIqa:Model:BundlePath", "IpIqa:Model:Bundle"], set.Select(v => v.ConfigurationKey));
        Assert.Equal([true, false], set.Select(v => Documented.Contains(v.ConfigurationKey)));
    }

    private static void AssertSetsAll(string file, IEnumerable<string> required)
    {
        var set = DeploymentFiles.VariablesSetIn(file)
            .Select(v => v.ConfigurationKey)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = required.Where(key => !set.Contains(key)).ToArray();

        Assert.True(missing.Length == 0, $"{file} does not set: {string.Join(", ", missing)}");
    }
}
