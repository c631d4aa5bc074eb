using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>A device fault is the worker's, not the job's: abandoned after the back-off, no result, never dead-lettered.</summary>
public sealed class JobProcessorDeviceFaultTests
{
    [Fact]
    public async Task A_device_fault_abandons_without_a_result_and_counts_as_device_fault()
    {
        var images = new FakeImageSource();
        images.Images["a.png"] = [1, 2, 3];
        var scorer = new FakeScorer { Before = (_, _) => throw new DeviceFaultException("CUDA failure 2: out of memory") };
        var store = new RecordingSink("store", 10);
        using var metrics = new JobMetrics();
        var processor = Processors.Create(scorer, [images], [store], metrics, options: new JobProcessorOptions { DeviceFaultBackOff = TimeSpan.Zero });
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png"));

        Assert.Equal(JobOutcome.Abandoned, await processor.HandleAsync(job, CancellationToken.None));

        var settlement = Assert.Single(job.Settlements);
        Assert.StartsWith($"abandon:{ErrorCodes.DeviceFault}: CUDA failure 2: out of memory", settlement, StringComparison.Ordinal);
        Assert.Empty(store.Records);
    }

    [Fact]
    public async Task Shutdown_during_the_back_off_still_abandons_the_delivery()
    {
        var images = new FakeImageSource();
        images.Images["a.png"] = [1, 2, 3];
        using var stop = new CancellationTokenSource();
        var scorer = new FakeScorer
        {
            Before = async (_, _) =>
            {
                await stop.CancelAsync();
                throw new DeviceFaultException("device lost");
            },
        };
        using var metrics = new JobMetrics();
        var processor = Processors.Create(scorer, [images], [new RecordingSink("store", 10)], metrics, options: new JobProcessorOptions { DeviceFaultBackOff = TimeSpan.FromHours(1) });
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png"));

        // The back-off is an hour: only the shutdown can end it within the bound.
        Assert.Equal(JobOutcome.Abandoned, await processor.HandleAsync(job, stop.Token).WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.StartsWith($"abandon:{ErrorCodes.DeviceFault}", Assert.Single(job.Settlements), StringComparison.Ordinal);
    }
}
