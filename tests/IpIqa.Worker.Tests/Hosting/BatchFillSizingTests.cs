using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.StorageQueues;
using IpIqa.Core.Batching;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>
/// The messages a queue transport holds default to what fills batches: three batches of
/// <c>IpIqa:Batching:MaxBatchSize</c> (one running, one queued, one on its way). A setting below
/// that is kept, with a warning at start that names it.
/// </summary>
public sealed class BatchFillSizingTests
{
    [Theory]
    [InlineData(32, 96)]
    [InlineData(64, 192)]
    public void Service_Bus_holds_three_batches_by_default(int maxBatchSize, int expected)
    {
        using var host = WorkerHostFactory.Build(ServiceBus(maxBatchSize));

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<ServiceBusOptions>>().Value.MaxConcurrentMessages);
        Assert.Null(host.Services.GetServices<IHostedService>().OfType<BatchFillCheck>().Single().Problem());
    }

    [Theory]
    [InlineData(32, 96)]
    [InlineData(64, 192)]
    public void Storage_Queue_holds_three_batches_by_default(int maxBatchSize, int expected)
    {
        using var host = WorkerHostFactory.Build(StorageQueue(maxBatchSize));

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<StorageQueueOptions>>().Value.MaxConcurrentMessages);
        Assert.Null(host.Services.GetServices<IHostedService>().OfType<BatchFillCheck>().Single().Problem());
    }

    [Fact]
    public async Task A_setting_too_small_to_fill_batches_is_kept_and_warned_about_at_start()
    {
        var settings = ServiceBus(64);
        settings["IpIqa:ServiceBus:MaxConcurrentMessages"] = "64";
        var logs = new CapturingLoggerProvider();
        using var host = WorkerHostFactory.Build(settings, configure: services => services.AddLogging(l => l.AddProvider(logs)));
        var check = host.Services.GetServices<IHostedService>().OfType<BatchFillCheck>().Single();

        await check.StartAsync(CancellationToken.None);

        Assert.Equal(64, host.Services.GetRequiredService<IOptions<ServiceBusOptions>>().Value.MaxConcurrentMessages);
        var warning = Assert.Single(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("IpIqa:ServiceBus:MaxConcurrentMessages is 64, below 192 (3 × IpIqa:Batching:MaxBatchSize 64)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_that_fills_batches_is_kept_without_a_warning()
    {
        var settings = StorageQueue(32);
        settings["IpIqa:StorageQueue:MaxConcurrentMessages"] = "100";
        using var host = WorkerHostFactory.Build(settings);

        Assert.Equal(100, host.Services.GetRequiredService<IOptions<StorageQueueOptions>>().Value.MaxConcurrentMessages);
        Assert.Null(host.Services.GetServices<IHostedService>().OfType<BatchFillCheck>().Single().Problem());
    }

    [Theory]
    [InlineData(95, 32, false)]
    [InlineData(96, 32, true)]
    [InlineData(1, 1, false)]
    [InlineData(3, 1, true)]
    public void Three_batches_are_the_least_that_fills(int held, int maxBatchSize, bool fills) =>
        Assert.Equal(fills, BatchPipeline.WhyBatchesCannotFill("key", held, new DynamicBatcherOptions { MaxBatchSize = maxBatchSize }) is null);

    [Fact]
    public void A_batcher_queue_smaller_than_a_batch_is_named_whatever_is_held()
    {
        var problem = BatchPipeline.WhyBatchesCannotFill("key", 1_000, new DynamicBatcherOptions { MaxBatchSize = 64, QueueCapacity = 32 });

        Assert.StartsWith("IpIqa:Batching:QueueCapacity 32 is below IpIqa:Batching:MaxBatchSize 64", problem, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ServiceBus(int maxBatchSize) => new()
    {
        ["IpIqa:Transport:Kind"] = "ServiceBus",
        ["IpIqa:ServiceBus:ConnectionString"] = "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=x;SharedAccessKey=y;UseDevelopmentEmulator=true",
        ["IpIqa:Batching:MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["IpIqa:Health:Port"] = "0",
    };

    private static Dictionary<string, string?> StorageQueue(int maxBatchSize) => new()
    {
        ["IpIqa:Transport:Kind"] = "StorageQueue",
        ["IpIqa:StorageQueue:ConnectionString"] = "UseDevelopmentStorage=true",
        ["IpIqa:Batching:MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["IpIqa:Health:Port"] = "0",
    };
}
