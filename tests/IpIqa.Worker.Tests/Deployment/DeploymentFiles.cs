using IpIqa.TestSupport;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>The deployment files of the repository, as paths relative to its root.</summary>
internal static class DeploymentFiles
{
    public const string ConfigurationDoc = "docs/configuration.md";
    public const string WorkerApp = "infra/modules/worker-app.bicep";
    public const string RescoreJob = "infra/modules/rescore-job.bicep";
    public const string WorkerDeployment = "infra/k8s/worker-deployment.yaml";
    public const string RescoreCronJob = "infra/k8s/rescore-cronjob.yaml";
    public const string HttpApiApp = "infra/modules/http-api-app.bicep";
    public const string HttpApiDeployment = "infra/k8s/http-api/http-api.yaml";
    public const string KubernetesFolder = "infra/k8s";
    public const string Dockerfile = "Dockerfile";

    public static string FullPath(string relativePath) => Path.Combine(Fixtures.RepositoryRoot, relativePath);

    /// <summary>Every Bicep file under infra/ and every Kubernetes manifest under infra/k8s.</summary>
    public static IReadOnlyList<string> All()
    {
        var root = Fixtures.RepositoryRoot;
        var bicep = Directory.EnumerateFiles(Path.Combine(root, "infra"), "*.bicep", SearchOption.AllDirectories);
        return [.. bicep.Concat(KubernetesManifests()).Select(path => Path.GetRelativePath(root, path).Replace('\\', '/')).Order()];
    }

    /// <summary>
    /// The Kubernetes manifests (*.yaml under infra/k8s and its component folders such as http-api/, without
    /// dot-files such as the yamllint config).
    /// </summary>
    public static IEnumerable<string> KubernetesManifests() =>
        Directory.EnumerateFiles(FullPath(KubernetesFolder), "*.yaml", SearchOption.AllDirectories)
            .Where(path => !Path.GetFileName(path).StartsWith('.'));

    /// <summary>The variables a file sets, read with the parser that fits its type.</summary>
    public static IReadOnlyList<DeploymentVariable> VariablesSetIn(string relativePath) =>
        relativePath.EndsWith(".bicep", StringComparison.Ordinal)
            ? DeploymentVariables.SetInBicep(FullPath(relativePath))
            : DeploymentVariables.SetInYaml(FullPath(relativePath));
}
