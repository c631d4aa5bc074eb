using IpIqa.TestSupport.Loopback;

namespace IpIqa.Worker.Tests.Support;

/// <summary>Tests that share one Service Bus test double.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceBusDoubleCollection : ICollectionFixture<ServiceBusDoubleFixture>
{
    public const string Name = "Service Bus test double";
}
