using IpIqa.TestSupport;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>An environment variable found in a deployment file, with where it was found.</summary>
internal sealed record DeploymentVariable(string Name, string? Value, string File, int Line)
{
    public string ConfigurationKey => DocumentedConfiguration.ToConfigurationKey(Name);

    public override string ToString() =>
        $"{Path.GetRelativePath(Fixtures.RepositoryRoot, File)}:{Line} {Name} (key {ConfigurationKey})";
}
