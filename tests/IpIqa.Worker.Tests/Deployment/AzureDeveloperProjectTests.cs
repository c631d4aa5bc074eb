using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>azure.yaml (Azure Developer CLI) and infra/main.bicep must agree, or `azd deploy` finds no app.</summary>
public sealed partial class AzureDeveloperProjectTests
{
    private static readonly YamlMappingNode Project =
        (YamlMappingNode)YamlDocuments.Load(DeploymentFiles.FullPath("azure.yaml"))[0].RootNode;

    [Fact]
    public void Infra_points_at_main_bicep()
    {
        Assert.Equal("bicep", Project.Scalar("infra", "provider"));
        var path = Path.Combine(Project.Scalar("infra", "path")!, Project.Scalar("infra", "module")! + ".bicep");
        Assert.True(File.Exists(DeploymentFiles.FullPath(path)), $"azure.yaml names {path}, which does not exist");
    }

    [Fact]
    public void Each_container_app_service_builds_the_Dockerfile_and_is_tagged_in_main_bicep()
    {
        var mainBicep = File.ReadAllText(DeploymentFiles.FullPath("infra/main.bicep"));
        var tagged = AzdServiceTag().Matches(mainBicep).Select(m => m.Groups["service"].Value).ToHashSet();
        var services = Project.Mapping("services")!.Children;

        Assert.NotEmpty(services);
        foreach (var (key, value) in services)
        {
            var name = ((YamlScalarNode)key).Value!;
            var service = (YamlMappingNode)value;
            Assert.Equal("containerapp", service.Scalar("host"));
            Assert.True(File.Exists(DeploymentFiles.FullPath(service.Scalar("docker", "path")!)), $"service {name}: Dockerfile not found");
            Assert.True(tagged.Contains(name), $"service {name}: no resource in infra/main.bicep carries 'azd-service-name': '{name}'");
        }
    }

    [Fact]
    public void The_postdeploy_hook_reads_only_main_bicep_outputs_and_updates_the_scoring_API_app_too()
    {
        var mainBicep = File.ReadAllText(DeploymentFiles.FullPath("infra/main.bicep"));
        var outputs = BicepOutput().Matches(mainBicep).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var run = Project.Scalar("hooks", "postdeploy", "posix", "run")!;
        var read = ShellVariable().Matches(run).Select(m => m.Groups["name"].Value).Distinct().ToArray();

        Assert.Contains("HTTP_API_APP_NAME", read);
        // SERVICE_<name>_IMAGE_NAME is what azd sets for the service it just deployed.
        Assert.All(read, name => Assert.True(outputs.Contains(name) || name == "SERVICE_WORKER_IMAGE_NAME",
            $"the postdeploy hook reads ${name}, which infra/main.bicep does not output"));
    }

    [GeneratedRegex(@"^output\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s", RegexOptions.Multiline)]
    private static partial Regex BicepOutput();

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ShellVariable();

    [GeneratedRegex(@"'azd-service-name':\s*'(?<service>[^']+)'")]
    private static partial Regex AzdServiceTag();
}
