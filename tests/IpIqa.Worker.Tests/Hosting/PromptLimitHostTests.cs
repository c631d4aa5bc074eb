using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>The worker's message parser takes its prompt limit from IpIqa:Model:MaxPromptBytes, as the engine does (#12).</summary>
public sealed class PromptLimitHostTests
{
    [Theory]
    [InlineData(null, RequestLimits.DefaultMaxPromptBytes)]
    [InlineData("5000", 5000)]
    [InlineData("100000", 100_000)]
    public void The_job_processor_gets_the_configured_prompt_limit(string? configured, int expected)
    {
        var settings = new Dictionary<string, string?> { ["IpIqa:Health:Port"] = "0" };
        if (configured is not null)
        {
            settings["IpIqa:Model:MaxPromptBytes"] = configured;
        }

        using var host = WorkerHostFactory.Build(settings);

        Assert.Equal(expected, host.Services.GetRequiredService<ScoringOptions>().MaxPromptBytes);
    }
}
