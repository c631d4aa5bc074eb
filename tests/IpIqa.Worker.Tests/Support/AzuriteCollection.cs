using IpIqa.TestSupport.Loopback;

namespace IpIqa.Worker.Tests.Support;

/// <summary>Tests that share one Azurite instance.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
