using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>Loads YAML files and reads scalars out of mapping nodes by path.</summary>
internal static class YamlDocuments
{
    public static IReadOnlyList<YamlDocument> Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}: {e.Message}", e);
        }

        return [.. stream.Documents];
    }

    /// <summary>The scalar found by following <paramref name="keys"/> through nested mappings, or null.</summary>
    public static string? Scalar(this YamlMappingNode node, params string[] keys) =>
        node.Node(keys) is YamlScalarNode scalar ? scalar.Value : null;

    public static YamlMappingNode? Mapping(this YamlMappingNode node, params string[] keys) =>
        node.Node(keys) as YamlMappingNode;

    public static YamlSequenceNode? Sequence(this YamlMappingNode node, params string[] keys) =>
        node.Node(keys) as YamlSequenceNode;

    private static YamlNode? Node(this YamlMappingNode node, string[] keys)
    {
        YamlNode? current = node;
        foreach (var key in keys)
        {
            if (current is not YamlMappingNode mapping
                || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current))
            {
                return null;
            }
        }

        return current;
    }
}
