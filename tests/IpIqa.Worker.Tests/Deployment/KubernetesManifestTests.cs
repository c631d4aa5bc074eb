using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>Structural checks of infra/k8s (what a cluster would reject or run unsafely).</summary>
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<KubernetesManifest> Manifests = KubernetesManifest.LoadAll();

    public static TheoryData<string, string> Workloads => new()
    {
        { "Deployment", "ipiqa-worker" },
        { "Deployment", "ipiqa-http" },
        { "CronJob", "ipiqa-rescore" },
    };

    /// <summary>The GPU pods: the queue worker and the scoring API.</summary>
    public static TheoryData<string> GpuDeployments => ["ipiqa-worker", "ipiqa-http"];

    [Fact]
    public void Every_manifest_has_an_api_version_and_every_resource_a_name()
    {
        Assert.NotEmpty(Manifests);
        Assert.All(Manifests, m => Assert.False(string.IsNullOrEmpty(m.Root.Scalar("apiVersion")), $"{m}: no apiVersion"));
        Assert.All(Manifests.Where(m => m.Kind is not ("Kustomization" or "Component")), m => Assert.False(string.IsNullOrEmpty(m.Name), $"{m}: no metadata.name"));
    }

    [Fact]
    public void Each_kustomization_and_component_lists_exactly_the_manifest_files_of_its_folder()
    {
        var kustomizations = Manifests.Where(m => m.Kind is "Kustomization" or "Component").ToArray();
        Assert.Contains(kustomizations, k => k.Kind == "Component");
        foreach (var folder in kustomizations)
        {
            var listed = folder.Root.Sequence("resources")!.OfType<YamlScalarNode>().Select(n => n.Value!).Order();
            var files = DeploymentFiles.KubernetesManifests()
                .Where(f => Path.GetDirectoryName(f) == Path.GetDirectoryName(folder.File))
                .Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order();
            Assert.True(files.SequenceEqual(listed), $"{folder.File} lists [{string.Join(", ", listed)}], its folder has [{string.Join(", ", files)}]");
        }

        var kustomization = Find("Kustomization", null);
        var images = kustomization.Root.Sequence("images")!.OfType<YamlMappingNode>().Select(i => i.Scalar("name"));
        Assert.All(Manifests.Where(m => m.Kind is "Deployment" or "CronJob").SelectMany(m => m.Containers),
            c => Assert.Contains(c.Scalar("image"), images));
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Pods_run_non_root_with_a_read_only_root_filesystem_and_no_capabilities(string kind, string name)
    {
        var workload = Find(kind, name);
        Assert.Equal("true", workload.PodSpec.Scalar("securityContext", "runAsNonRoot"));
        var volumes = workload.PodSpec.Sequence("volumes")!.OfType<YamlMappingNode>().Select(v => v.Scalar("name")).ToHashSet();

        Assert.All(workload.Containers, container =>
        {
            Assert.Equal("true", container.Scalar("securityContext", "readOnlyRootFilesystem"));
            Assert.Equal("false", container.Scalar("securityContext", "allowPrivilegeEscalation"));
            Assert.Contains("ALL", container.Sequence("securityContext", "capabilities", "drop")!.OfType<YamlScalarNode>().Select(n => n.Value));
            var tmp = Assert.Single(container.Sequence("volumeMounts")!.OfType<YamlMappingNode>(), m => m.Scalar("mountPath") == "/tmp");
            Assert.Contains(tmp.Scalar("name"), volumes);
        });
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Pods_use_workload_identity_through_an_annotated_service_account(string kind, string name)
    {
        var workload = Find(kind, name);
        Assert.Equal("true", workload.PodTemplate.Scalar("metadata", "labels", "azure.workload.identity/use"));

        var account = Find("ServiceAccount", workload.PodSpec.Scalar("serviceAccountName"));
        Assert.False(string.IsNullOrWhiteSpace(account.Root.Scalar("metadata", "annotations", "azure.workload.identity/client-id")));
    }

    [Theory]
    [MemberData(nameof(GpuDeployments))]
    public void The_worker_requests_one_GPU(string deployment)
    {
        var container = Assert.Single(Find("Deployment", deployment).Containers);
        Assert.Equal("1", container.Scalar("resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("1", container.Scalar("resources", "requests", "nvidia.com/gpu"));
    }

    [Theory]
    [MemberData(nameof(GpuDeployments))]
    public void The_worker_has_a_CPU_limit_and_decodes_on_one_thread_less(string deployment)
    {
        var worker = Find("Deployment", deployment);
        var container = Assert.Single(worker.Containers);
        var limit = container.Scalar("resources", "limits", "cpu");
        Assert.False(string.IsNullOrEmpty(limit), "the worker has no CPU limit: Parallelism 0 would follow the node's core count");
        var cores = int.Parse(limit, CultureInfo.InvariantCulture);
        var parallelism = int.Parse(Variable(worker, "IpIqa__Preprocessing__Parallelism"), CultureInfo.InvariantCulture);

        Assert.Equal(limit, container.Scalar("resources", "requests", "cpu"));
        Assert.Equal(cores - 1, parallelism);
    }

    [Theory]
    [MemberData(nameof(GpuDeployments))]
    public void The_worker_probes_hit_the_health_endpoints_on_the_configured_port(string deployment)
    {
        var worker = Find("Deployment", deployment);
        var container = Assert.Single(worker.Containers);
        var healthPort = Variable(worker, "IpIqa__Health__Port");

        foreach (var (probe, path) in new[] { ("startupProbe", "/healthz/live"), ("livenessProbe", "/healthz/live"), ("readinessProbe", "/healthz/ready") })
        {
            Assert.Equal(path, container.Scalar(probe, "httpGet", "path"));
            var port = container.Scalar(probe, "httpGet", "port")!;
            var resolved = container.Sequence("ports")!.OfType<YamlMappingNode>()
                .SingleOrDefault(p => p.Scalar("name") == port)?.Scalar("containerPort") ?? port;
            Assert.True(resolved == healthPort, $"{probe} uses port {resolved}, the worker listens on {healthPort}");
        }
    }

    [Theory]
    [MemberData(nameof(GpuDeployments))]
    public void The_worker_termination_grace_period_outlasts_the_host_shutdown_timeout(string deployment)
    {
        var worker = Find("Deployment", deployment);
        var grace = int.Parse(worker.PodSpec.Scalar("terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture);
        var shutdown = int.Parse(Variable(worker, "DOTNET_shutdownTimeoutSeconds"), CultureInfo.InvariantCulture);

        Assert.True(grace > shutdown, $"terminationGracePeriodSeconds {grace} must exceed DOTNET_shutdownTimeoutSeconds {shutdown}");
    }

    [Fact]
    public void The_scaled_object_scales_the_worker_on_its_jobs_queue_with_workload_identity()
    {
        var worker = Find("Deployment", "ipiqa-worker");
        var scaled = Find("ScaledObject", "ipiqa-worker");
        Assert.Equal(worker.Name, scaled.Root.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Equal("0", scaled.Root.Scalar("spec", "minReplicaCount"));
        Assert.True(int.Parse(scaled.Root.Scalar("spec", "maxReplicaCount")!, CultureInfo.InvariantCulture) >= 1);

        var trigger = Assert.Single(scaled.Root.Sequence("spec", "triggers")!.OfType<YamlMappingNode>());
        Assert.Equal("azure-servicebus", trigger.Scalar("type"));
        Assert.Equal(Variable(worker, "IpIqa__ServiceBus__QueueName"), trigger.Scalar("metadata", "queueName"));
        Assert.False(string.IsNullOrEmpty(trigger.Scalar("metadata", "namespace")));
        Assert.Null(trigger.Scalar("metadata", "connectionFromEnv"));

        var auth = Find("TriggerAuthentication", trigger.Scalar("authenticationRef", "name"));
        Assert.Equal("azure-workload", auth.Root.Scalar("spec", "podIdentity", "provider"));
        Assert.False(string.IsNullOrWhiteSpace(auth.Root.Scalar("spec", "podIdentity", "identityId")));
    }

    [Fact]
    public void The_rescoring_cron_job_runs_ipiqa_rescore_one_at_a_time_on_the_worker_queue()
    {
        var cron = Find("CronJob", "ipiqa-rescore");
        Assert.Equal(5, cron.Root.Scalar("spec", "schedule")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("Forbid", cron.Root.Scalar("spec", "concurrencyPolicy"));
        Assert.Contains(cron.PodSpec.Scalar("restartPolicy"), new[] { "Never", "OnFailure" });

        var container = Assert.Single(cron.Containers);
        Assert.Contains("/app/ipiqa.dll", container.Sequence("command")!.OfType<YamlScalarNode>().Select(n => n.Value));
        Assert.Equal("rescore", container.Sequence("args")!.OfType<YamlScalarNode>().First().Value);
    }

    [Theory]
    [InlineData("--queue", "IpIqa__ServiceBus__QueueName")]
    [InlineData("--queue-endpoint", "IpIqa__ServiceBus__FullyQualifiedNamespace")]
    [InlineData("--service-uri", "IpIqa__Blob__ServiceUri")]
    [InlineData("--container", "IpIqa__Blob__AllowedContainers__0")]
    [InlineData("--model", "IpIqa__Model__BundlePath")]
    public void The_rescoring_cron_job_enqueues_the_worker_gallery_onto_the_worker_queue(string option, string workerVariable) =>
        Assert.Equal(Variable(Find("Deployment", "ipiqa-worker"), workerVariable), Argument(Find("CronJob", "ipiqa-rescore"), option));

    [Fact]
    public void The_rescoring_cron_job_keeps_its_runs_in_a_container_of_the_gallery_account_and_works_in_tmp()
    {
        var cron = Find("CronJob", "ipiqa-rescore");
        Assert.StartsWith(Argument(cron, "--service-uri").TrimEnd('/') + "/", Argument(cron, "--runs-container"), StringComparison.Ordinal);
        Assert.StartsWith("/tmp/", Argument(cron, "--runs"), StringComparison.Ordinal);
    }

    private static KubernetesManifest Find(string kind, string? name)
    {
        var matches = Manifests.Where(m => m.Kind == kind && m.Name == name).ToArray();
        Assert.True(matches.Length == 1, $"expected one {kind}/{name ?? "(unnamed)"} in infra/k8s, found {matches.Length}");
        return matches[0];
    }

    private static string Argument(KubernetesManifest workload, string option)
    {
        var args = Assert.Single(workload.Containers).Sequence("args")!.OfType<YamlScalarNode>().Select(n => n.Value!).ToList();
        var at = args.IndexOf(option);
        Assert.True(at >= 0 && at + 1 < args.Count && args.LastIndexOf(option) == at, $"{workload} must pass {option} once, with a value");
        return args[at + 1];
    }

    private static string Variable(KubernetesManifest workload, string name)
    {
        var values = workload.Containers
            .SelectMany(c => c.Sequence("env")?.OfType<YamlMappingNode>() ?? [])
            .Where(e => e.Scalar("name") == name)
            .Select(e => e.Scalar("value"))
            .ToArray();
        Assert.True(values.Length == 1 && values[0] is not null, $"{workload} must set {name} once, with a value");
        return values[0]!;
    }
}
