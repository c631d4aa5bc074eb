using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.StorageQueues;
using IpIqa.Core.Batching;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>
/// At start, warns when the queue transport holds too few messages for the batcher to run full
/// batches (<see cref="BatchPipeline"/>). A warning, not a failure: a small setting still scores
/// every job, only with part-full batches.
/// </summary>
public sealed partial class BatchFillCheck(IServiceProvider services, IOptions<TransportOptions> transport, IOptions<DynamicBatcherOptions> batching, ILogger<BatchFillCheck> logger) : IHostedService
{
    /// <summary>Why the configured transport cannot fill batches, or null when it can (or holds no messages: Local).</summary>
    public string? Problem() => transport.Value.Kind switch
    {
        TransportKind.ServiceBus => BatchPipeline.WhyBatchesCannotFill(
            "IpIqa:ServiceBus:MaxConcurrentMessages", services.GetRequiredService<IOptions<ServiceBusOptions>>().Value.MaxConcurrentMessages, batching.Value),
        TransportKind.StorageQueue => BatchPipeline.WhyBatchesCannotFill(
            "IpIqa:StorageQueue:MaxConcurrentMessages", services.GetRequiredService<IOptions<StorageQueueOptions>>().Value.MaxConcurrentMessages, batching.Value),
        _ => null,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Problem() is { } problem)
        {
            BatchesCannotFill(logger, problem);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Batches will not fill: {Problem}")]
    private static partial void BatchesCannotFill(ILogger logger, string problem);
}
