using YamlDotNet.RepresentationModel;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>One YAML document of infra/k8s: its kind, its name and its content.</summary>
internal sealed record KubernetesManifest(string Kind, string? Name, YamlMappingNode Root, string File)
{
    public static IReadOnlyList<KubernetesManifest> LoadAll() =>
    [
        .. DeploymentFiles.KubernetesManifests()
            .Order(StringComparer.Ordinal)
            .SelectMany(file => YamlDocuments.Load(file).Select(document => FromDocument(document, file))),
    ];

    /// <summary>The pod spec: spec.template.spec for a Deployment, one level deeper for a CronJob.</summary>
    public YamlMappingNode PodTemplate => Kind switch
    {
        "Deployment" => Root.Mapping("spec", "template"),
        "CronJob" => Root.Mapping("spec", "jobTemplate", "spec", "template"),
        _ => null,
    } ?? throw new InvalidDataException($"{File}: {Kind}/{Name} has no pod template.");

    public YamlMappingNode PodSpec =>
        PodTemplate.Mapping("spec") ?? throw new InvalidDataException($"{File}: {Kind}/{Name} has no pod spec.");

    public IReadOnlyList<YamlMappingNode> Containers =>
        [.. (PodSpec.Sequence("containers") ?? throw new InvalidDataException($"{File}: {Kind}/{Name} has no containers.")).OfType<YamlMappingNode>()];

    public override string ToString() => $"{Kind}/{Name} ({Path.GetFileName(File)})";

    private static KubernetesManifest FromDocument(YamlDocument document, string file)
    {
        var root = document.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{file}:{document.RootNode.Start.Line}: a manifest must be a mapping.");
        var kind = root.Scalar("kind")
            ?? throw new InvalidDataException($"{file}:{root.Start.Line}: manifest without 'kind'.");
        return new KubernetesManifest(kind, root.Scalar("metadata", "name"), root, file);
    }
}
