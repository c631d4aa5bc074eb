using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>The worker's <c>IpIqa:Transport:Kind</c> and rescore's <c>--queue-kind</c> name the same transports (#12).</summary>
public sealed class TransportKindTests
{
    [Theory]
    [InlineData("storage-queue", TransportKind.StorageQueue)]
    [InlineData("StorageQueue", TransportKind.StorageQueue)]
    [InlineData("service-bus", TransportKind.ServiceBus)]
    [InlineData("SERVICE_BUS", TransportKind.ServiceBus)]
    [InlineData("local", TransportKind.Local)]
    [InlineData("http", TransportKind.Http)]
    public void Command_line_and_configuration_names_read_as_the_same_kind(string name, TransportKind expected)
    {
        Assert.True(TransportKinds.TryParse(name, out var kind));
        Assert.Equal(expected, kind);
        Assert.True(TransportKinds.TryParse(kind.ToArgument(), out var again));
        Assert.Equal(kind, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("kafka")]
    [InlineData("1")]
    [InlineData("service bus")]
    public void Anything_else_is_refused(string name) => Assert.False(TransportKinds.TryParse(name, out _));
}
