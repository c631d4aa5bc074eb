using IpIqa.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Hosting;

public sealed class StartupFailureTests
{
    [Fact]
    public void Every_options_failure_becomes_a_line_naming_its_key()
    {
        var ex = new AggregateException(
            new OptionsValidationException("a", typeof(object), ["IpIqa:Model:BundlePath 'models/demo' is not a folder."]),
            new OptionsValidationException("b", typeof(object), ["IpIqa:Health:Port must be between 0 and 65535."]));

        Assert.True(StartupFailure.TryDescribe(ex, out var message));

        Assert.Equal(
            ["The worker's configuration is not valid:", "  IpIqa:Model:BundlePath 'models/demo' is not a folder.", "  IpIqa:Health:Port must be between 0 and 65535."],
            message.Split(Environment.NewLine));
    }

    [Fact]
    public void Other_failures_are_not_described_as_configuration() =>
        Assert.False(StartupFailure.TryDescribe(new IOException("disk"), out _));
}
