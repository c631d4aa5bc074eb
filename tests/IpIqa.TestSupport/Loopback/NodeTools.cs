namespace IpIqa.TestSupport.Loopback;

/// <summary>Finds Node.js and npm on the PATH; the loopback stand-ins need both.</summary>
public static class NodeTools
{
    private static readonly Lazy<string?> LazyNode = new(() => FindOnPath("node"));
    private static readonly Lazy<string?> LazyNpm = new(() => FindOnPath("npm"));

    /// <summary>Full path of <c>node</c>, or null when it is not on the PATH.</summary>
    public static string? Node => LazyNode.Value;

    /// <summary>Full path of <c>npm</c>, or null when it is not on the PATH.</summary>
    public static string? Npm => LazyNpm.Value;

    /// <summary>Null when node and npm are both found, else a skip message naming what is absent.</summary>
    public static string? MissingReason()
    {
        var missing = new List<string>();
        if (Node is null)
        {
            missing.Add("node");
        }

        if (Npm is null)
        {
            missing.Add("npm");
        }

        return missing.Count == 0
            ? null
            : $"Node.js tooling absent: {string.Join(" and ", missing)} not found on PATH. Install Node.js 20+ (Debian: apt-get install nodejs npm) to run the loopback Azure stand-ins.";
    }

    /// <summary>The first executable file called <paramref name="name"/> on the PATH.</summary>
    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        string[] suffixes = OperatingSystem.IsWindows() ? [".exe", ".cmd", string.Empty] : [string.Empty];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var suffix in suffixes)
            {
                var candidate = Path.Combine(dir, name + suffix);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
