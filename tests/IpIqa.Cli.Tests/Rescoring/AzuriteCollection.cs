using IpIqa.TestSupport.Loopback;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Rescoring tests that share one Azurite instance.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
