using IpIqa.Core.Jobs;
using IpIqa.Imaging;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Inference.Tests.Reference;

/// <summary><c>AddIpIqaInference</c>: options bound from configuration and validated at start; the engine resolves and scores.</summary>
public sealed class InferenceRegistrationTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddIpIqaImaging();
        builder.Services.AddIpIqaInference();
        return builder.Build();
    }

    [Fact]
    public async Task BadSettingsStopTheHostAtStart_WithMessagesNamingTheKeys()
    {
        using var host = Build(new()
        {
            ["IpIqa:Model:BundlePath"] = "/no/such/bundle",
            ["IpIqa:Model:ExecutionProvider"] = "Cpu",
            ["IpIqa:Model:DeviceId"] = "3",
            ["IpIqa:Batching:MaxBatchSize"] = "0",
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var failures = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [error];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        var all = string.Join(" | ", failures.SelectMany(f => ((OptionsValidationException)f).Failures));

        Assert.Contains("IpIqa:Model:BundlePath '/no/such/bundle' is not a folder", all, StringComparison.Ordinal);
        Assert.Contains("IpIqa:Model:DeviceId is 3", all, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize", all, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task TheRegisteredEngineScoresAReferenceSample()
    {
        using var host = Build(new()
        {
            ["IpIqa:Model:BundlePath"] = reference.Folder,
            ["IpIqa:Model:ExecutionProvider"] = "Cpu",
            ["IpIqa:Model:TextCacheCapacity"] = "8",
            ["IpIqa:Batching:MaxBatchSize"] = "2",
            ["IpIqa:Batching:MaxQueueDelay"] = "00:00:00.002",
        });
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<ScoringEngine>();
        var sample = ReferenceBundle.Samples()[3];

        var result = await engine.ScoreAsync(new ScorerInput(ImageInput.FromFile(sample.Image), sample.Prompt), CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var expected = ReferenceBundle.Scores();
        FloatAssert.Close(expected.AsSpan(6, 2), new[] { (float)result.Scores.Quality, (float)result.Scores.Alignment }, 1e-4, "scores of sample 3");
        await host.StopAsync();
    }
}
