using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using IpIqa.Inference;
using IpIqa.Worker.Health;
using YamlDotNet.RepresentationModel;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// The scoring API on Kubernetes (the infra/k8s/http-api component): a ClusterIP Service in front of the API pods'
/// port, Entra ID in those pods' environment, and a ScaledObject on a metric the worker really exports.
/// </summary>
public sealed partial class KubernetesHttpApiTests
{
    private static readonly IReadOnlyList<KubernetesManifest> Manifests = KubernetesManifest.LoadAll();

    [Fact]
    public void The_service_selects_only_the_API_pods_and_forwards_8081_to_the_port_the_API_listens_on()
    {
        var api = Find("Deployment", "ipiqa-http");
        var service = Find("Service", "ipiqa-http");
        var selector = service.Root.Mapping("spec", "selector")!.Children
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value);

        Assert.Equal("ClusterIP", service.Root.Scalar("spec", "type"));
        Assert.NotEmpty(selector);
        Assert.All(selector, s => Assert.Equal(s.Value, api.PodTemplate.Scalar("metadata", "labels", s.Key)));
        Assert.False(selector.All(s => Find("Deployment", "ipiqa-worker").PodTemplate.Scalar("metadata", "labels", s.Key) == s.Value),
            "the Service also selects the queue worker's pods");

        var port = Assert.Single(service.Root.Sequence("spec", "ports")!.OfType<YamlMappingNode>());
        Assert.Equal("8081", port.Scalar("port"));
        var container = Assert.Single(api.Containers);
        var target = port.Scalar("targetPort")!;
        var resolved = container.Sequence("ports")!.OfType<YamlMappingNode>().SingleOrDefault(p => p.Scalar("name") == target)?.Scalar("containerPort") ?? target;
        Assert.Equal(Variable(api, "IpIqa__Http__Port"), resolved);
    }

    [Fact]
    public void The_API_pods_serve_alone_and_require_Entra_ID_tokens()
    {
        var api = Find("Deployment", "ipiqa-http");
        var environment = Assert.Single(api.Containers).Sequence("env")!.OfType<YamlMappingNode>()
            .Select(e => (e.Scalar("name")!, (string?)Placeholder().Replace(e.Scalar("value") ?? "", m => m.Groups[1].Value)));

        var (options, transport) = DeployedHttpApi.Bind(DeploymentFiles.HttpApiDeployment, environment);

        DeployedHttpApi.AssertServedAloneWithEntraId(DeploymentFiles.HttpApiDeployment, options, transport);
        Assert.StartsWith("https://", options.Authority, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(options.Audience));
    }

    [Fact]
    public void The_API_scales_on_a_metric_the_worker_exports_scraped_from_its_metrics_endpoint()
    {
        var api = Find("Deployment", "ipiqa-http");
        var scaled = Find("ScaledObject", "ipiqa-http");
        Assert.Equal(api.Name, scaled.Root.Scalar("spec", "scaleTargetRef", "name"));
        Assert.True(int.Parse(scaled.Root.Scalar("spec", "minReplicaCount")!, System.Globalization.CultureInfo.InvariantCulture) >= 1,
            "with no API pod there is no metric to scale on and nobody to answer");

        var trigger = Assert.Single(scaled.Root.Sequence("spec", "triggers")!.OfType<YamlMappingNode>());
        Assert.Equal("prometheus", trigger.Scalar("type"));
        var series = SeriesName().Matches(trigger.Scalar("metadata", "query")!).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(series);
        Assert.All(series, name => Assert.Contains(name, ExportedSeries()));
        Assert.Equal(HealthEndpoint.MetricsPath, api.PodTemplate.Scalar("metadata", "annotations", "prometheus.io/path"));
        Assert.Equal(Variable(api, "IpIqa__Health__Port"), api.PodTemplate.Scalar("metadata", "annotations", "prometheus.io/port"));
    }

    /// <summary>The engine's instruments as the Prometheus exporter names them (dots become underscores).</summary>
    private static HashSet<string> ExportedSeries()
    {
        using var metrics = new InferenceMetrics();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter))
                {
                    names.Add(instrument.Name.Replace('.', '_'));
                }
            },
        };
        listener.Start();
        return names;
    }

    private static KubernetesManifest Find(string kind, string name)
    {
        var matches = Manifests.Where(m => m.Kind == kind && m.Name == name).ToArray();
        Assert.True(matches.Length == 1, $"expected one {kind}/{name} in infra/k8s, found {matches.Length}");
        return matches[0];
    }

    private static string Variable(KubernetesManifest workload, string name) =>
        Assert.Single(workload.Containers.SelectMany(c => c.Sequence("env")!.OfType<YamlMappingNode>()), e => e.Scalar("name") == name).Scalar("value")!;

    [GeneratedRegex("<([a-z0-9-]+)>")]
    private static partial Regex Placeholder();

    /// <summary>A series selected in PromQL: a name followed by a label matcher.</summary>
    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex SeriesName();
}
