using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Repository;

/// <summary>
/// docs/dependencies.md lists every package the shipped projects restore, transitive ones
/// included, and nothing else (#18). The restore graph is each shipped project's
/// <c>obj/project.assets.json</c>, which restoring the solution writes.
/// </summary>
public sealed partial class DependencyTableTests
{
    private static readonly string[] ShippedFolders = ["src", "training"];

    [Fact]
    public void EveryPackageTheShippedProjectsRestore_IsInTheLicenceTable()
    {
        var missing = RestoredPackages().Except(TablePackages(), StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();

        Assert.True(missing.Length == 0, $"docs/dependencies.md, 'Shipped packages', lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryPackageInTheLicenceTable_IsRestoredOrPinned()
    {
        var known = RestoredPackages().Concat(CentralPackageVersions()).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var stale = TablePackages().Where(p => !known.Contains(p)).ToArray();

        Assert.True(stale.Length == 0, $"docs/dependencies.md, 'Shipped packages', names packages no shipped project uses: {string.Join(", ", stale)}");
    }

    private static HashSet<string> RestoredPackages()
    {
        var projects = ShippedFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot, folder), "*.csproj", SearchOption.AllDirectories))
            .ToArray();
        Assert.NotEmpty(projects);

        var packages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var project in projects)
        {
            var assets = Path.Combine(Path.GetDirectoryName(project)!, "obj", "project.assets.json");
            Assert.True(File.Exists(assets), $"{assets} is absent: restore the solution (dotnet restore IpIqa.Worker.sln) first.");
            using var json = JsonDocument.Parse(File.ReadAllBytes(assets));
            foreach (var library in json.RootElement.GetProperty("libraries").EnumerateObject())
            {
                if (library.Value.GetProperty("type").GetString() == "package")
                {
                    packages.Add(library.Name[..library.Name.IndexOf('/', StringComparison.Ordinal)]);
                }
            }
        }

        return packages;
    }

    private static List<string> TablePackages()
    {
        var lines = File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, "docs", "dependencies.md"));
        var start = Array.IndexOf(lines, "## Shipped packages");
        Assert.True(start >= 0, "docs/dependencies.md has no '## Shipped packages' section");

        var packages = lines.Skip(start + 1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => PackageName().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToList();
        Assert.NotEmpty(packages);
        return packages;
    }

    private static IEnumerable<string> CentralPackageVersions() =>
        XDocument.Load(Path.Combine(Fixtures.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Select(e => (string)e.Attribute("Include")!);

    [GeneratedRegex("`([A-Za-z0-9][A-Za-z0-9.-]*)`")]
    private static partial Regex PackageName();
}
