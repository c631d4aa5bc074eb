using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>Reads the environment variables that the deployment files set or mention.</summary>
internal static partial class DeploymentVariables
{
    /// <summary>Every <c>IpIqa__</c> token in the file, in any casing (Bicep outputs are upper case).</summary>
    public static IReadOnlyList<DeploymentVariable> MentionedIn(string path)
    {
        var found = new List<DeploymentVariable>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            foreach (Match match in IpIqaToken().Matches(line))
            {
                found.Add(new DeploymentVariable(match.Value, null, path, lineNumber));
            }
        }

        return found;
    }

    /// <summary>Variables set by <c>{ name: 'X', value: ... }</c> entries of Bicep container env lists.</summary>
    public static IReadOnlyList<DeploymentVariable> SetInBicep(string path)
    {
        var found = new List<DeploymentVariable>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var match = BicepEnvEntry().Match(line);
            if (match.Success)
            {
                found.Add(new DeploymentVariable(match.Groups["name"].Value, match.Groups["value"].Value.Trim(), path, lineNumber));
            }
        }

        return found;
    }

    /// <summary>Variables set by the <c>env</c> lists of every container in every YAML document of the file.</summary>
    public static IReadOnlyList<DeploymentVariable> SetInYaml(string path)
    {
        var found = new List<DeploymentVariable>();
        foreach (var document in YamlDocuments.Load(path))
        {
            Collect(document.RootNode, path, found);
        }

        return found;
    }

    private static void Collect(YamlNode node, string path, List<DeploymentVariable> found)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: "env" } && value is YamlSequenceNode entries)
                    {
                        foreach (var entry in entries.OfType<YamlMappingNode>())
                        {
                            var name = entry.Scalar("name")
                                ?? throw new InvalidDataException($"{path}:{entry.Start.Line}: env entry without a name.");
                            found.Add(new DeploymentVariable(name, entry.Scalar("value"), path, (int)entry.Start.Line));
                        }
                    }
                    else
                    {
                        Collect(value, path, found);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence)
                {
                    Collect(child, path, found);
                }

                break;
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_])IpIqa__[A-Za-z0-9_]+", RegexOptions.IgnoreCase)]
    private static partial Regex IpIqaToken();

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[A-Za-z_][A-Za-z0-9_]*)'\s*,\s*value:\s*(?<value>[^}]*)\}")]
    private static partial Regex BicepEnvEntry();
}
