using IpIqa.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("ServiceBus", "IpIqa:Transport:Kind=ServiceBus requires IpIqa:ServiceBus:FullyQualifiedNamespace or IpIqa:ServiceBus:ConnectionString")]
    [InlineData("StorageQueue", "IpIqa:Transport:Kind=StorageQueue has nowhere to write results")]
    public async Task Incomplete_transport_settings_stop_the_start_with_the_key_named(string kind, string message)
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Transport:Kind"] = kind,
            ["IpIqa:StorageQueue:ConnectionString"] = "UseDevelopmentStorage=true",
            ["IpIqa:Health:Port"] = "0",
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_range_values_are_refused_with_their_key()
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Health:Port"] = "70000",
            ["IpIqa:Thresholds:Quality"] = "NaN",
        });

        var ex = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        var messages = ex.InnerExceptions.OfType<OptionsValidationException>().Select(e => e.Message).ToArray();
        Assert.Contains(messages, m => m.Contains("IpIqa:Health:Port must be between 0 and 65535", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("IpIqa:Thresholds:Quality 'NaN' is neither a score (e.g. 0.42) nor a percentile (e.g. p20)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_percentile_beyond_p100_is_refused_with_its_key()
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Health:Port"] = "0",
            ["IpIqa:Thresholds:Alignment"] = "p120",
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("IpIqa:Thresholds:Alignment 'p120': a percentile is between p0 and p100", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-prompt")]
    [InlineData("1prompt")]
    [InlineData(" ")]
    public async Task A_prompt_metadata_key_that_is_no_metadata_name_is_refused_with_its_key(string key)
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Events:PromptMetadataKey"] = key,
            ["IpIqa:Health:Port"] = "0",
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("IpIqa:Events:PromptMetadataKey must", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "prompt")]
    [InlineData("caption", "caption")]
    public void The_prompt_metadata_key_reaches_the_job_processor(string? configured, string expected)
    {
        var settings = new Dictionary<string, string?> { ["IpIqa:Health:Port"] = "0" };
        if (configured is not null)
        {
            settings["IpIqa:Events:PromptMetadataKey"] = configured;
        }

        using var host = WorkerHostFactory.Build(settings);

        Assert.Equal(expected, host.Services.GetRequiredService<ScoringOptions>().PromptMetadataKey);
    }

    [Fact]
    public void Unknown_transport_kind_names_the_key() =>
        Assert.Contains(
            "IpIqa:Transport:Kind",
            Assert.Throws<InvalidOperationException>(() => WorkerHostFactory.Build(new Dictionary<string, string?> { ["IpIqa:Transport:Kind"] = "Kafka" })).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("IpIqa:Health:Address", "localhost", "IpIqa:Health:Address 'localhost' is not an IP address")]
    [InlineData("IpIqa:Health:Address", "10.0.0.300", "IpIqa:Health:Address '10.0.0.300' is not an IP address")]
    [InlineData("IpIqa:Health:RequestHeadersTimeout", "00:00:00", "IpIqa:Health:RequestHeadersTimeout 00:00:00 must be between 00:00:01 and 00:01:00")]
    [InlineData("IpIqa:Health:RequestHeadersTimeout", "00:10:00", "IpIqa:Health:RequestHeadersTimeout 00:10:00 must be between 00:00:01 and 00:01:00")]
    [InlineData("IpIqa:Health:MaxConnections", "0", "IpIqa:Health:MaxConnections must be between 1 and 10000")]
    public async Task A_bad_health_endpoint_setting_stops_the_start_with_its_key(string key, string value, string message)
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?> { [key] = value });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "0.0.0.0")]
    [InlineData("::", "::")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void The_health_endpoint_binds_every_IPv4_interface_unless_told_otherwise(string? configured, string expected)
    {
        var settings = new Dictionary<string, string?>();
        if (configured is not null)
        {
            settings["IpIqa:Health:Address"] = configured;
        }

        using var host = WorkerHostFactory.Build(settings);

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<Health.HealthOptions>>().Value.Address);
    }
}
