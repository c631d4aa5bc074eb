using System.Text.RegularExpressions;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// The configuration keys listed in docs/configuration.md's table, the contract between the worker and
/// the deployment files. Keys compare case-insensitively, as .NET configuration does.
/// </summary>
internal sealed partial class DocumentedConfiguration
{
    private readonly HashSet<string> _keys;

    private DocumentedConfiguration(HashSet<string> keys) => _keys = keys;

    public IReadOnlyCollection<string> Keys => _keys;

    public static DocumentedConfiguration Load(string markdownPath)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(markdownPath))
        {
            var match = TableKeyRow().Match(line);
            if (match.Success)
            {
                keys.Add(match.Groups["key"].Value);
            }
        }

        if (keys.Count == 0)
        {
            throw new InvalidDataException($"{markdownPath}: no '| `Key` | default | meaning |' table rows found.");
        }

        return new DocumentedConfiguration(keys);
    }

    public bool Contains(string configurationKey) => _keys.Contains(configurationKey);

    /// <summary>
    /// Maps an environment variable to its configuration key: <c>__</c> becomes <c>:</c> and
    /// numeric array indices (<c>AllowedAccounts__0</c>) are dropped, since the table documents
    /// the array, not its elements.
    /// </summary>
    public static string ToConfigurationKey(string environmentVariable)
    {
        var segments = environmentVariable
            .Split("__")
            .Where(segment => segment.Length > 0 && !segment.All(char.IsAsciiDigit));
        return string.Join(':', segments);
    }

    [GeneratedRegex(@"^\|\s*`(?<key>[A-Za-z_][A-Za-z0-9_:]*)`\s*\|")]
    private static partial Regex TableKeyRow();
}
