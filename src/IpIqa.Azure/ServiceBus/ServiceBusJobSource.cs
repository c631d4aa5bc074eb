using Azure.Messaging.ServiceBus;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.ServiceBus;

/// <summary>
/// Receives jobs from a Service Bus queue with a <see cref="ServiceBusProcessor"/>: peek-lock,
/// no auto-complete, <see cref="ServiceBusOptions.MaxConcurrentMessages"/> handlers at once (by
/// default enough to fill the batcher, see <see cref="IpIqa.Core.Batching.BatchPipeline"/>), locks renewed
/// for <see cref="ServiceBusOptions.MaxLockRenewalDuration"/>.
/// On stop it stops receiving and waits for the handlers, which finish or abandon.
/// </summary>
public sealed class ServiceBusJobSource(ServiceBusClient client, IOptions<ServiceBusOptions> options, ILogger<ServiceBusJobSource> logger) : IJobSource
{
    private volatile bool _connected;

    public string Name => "ServiceBus";

    public bool IsConnected => _connected;

    public async Task RunAsync(IJobHandler handler, CancellationToken stoppingToken, CancellationToken abortToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var settings = options.Value;
        await using var processor = client.CreateProcessor(settings.QueueName, new ServiceBusProcessorOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            AutoCompleteMessages = false,
            MaxConcurrentCalls = settings.MessagesToHold,
            PrefetchCount = settings.PrefetchCount,
            MaxAutoLockRenewalDuration = settings.MaxLockRenewalDuration,
        });
        processor.ProcessMessageAsync += async args =>
        {
            _connected = true;

            // The handler sees the abort token, not args.CancellationToken: a stop lets in-flight jobs finish.
            await handler.HandleAsync(new ServiceBusReceivedJob(args), abortToken).ConfigureAwait(false);
        };
        processor.ProcessErrorAsync += args =>
        {
            if (args.Exception is ServiceBusException { Reason: ServiceBusFailureReason.ServiceCommunicationProblem or ServiceBusFailureReason.MessagingEntityNotFound }
                or UnauthorizedAccessException)
            {
                _connected = false;
            }

            ServiceBusLog.ProcessorError(logger, args.ErrorSource.ToString(), args.EntityPath, args.Exception);
            return Task.CompletedTask;
        };

        await processor.StartProcessingAsync(stoppingToken).ConfigureAwait(false);
        _connected = true;
        ServiceBusLog.Started(logger, settings.QueueName, settings.MessagesToHold, settings.PrefetchCount);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stop requested: fall through to a graceful stop.
        }

        // StopProcessingAsync waits for the running handlers; they settle before it returns.
        await processor.StopProcessingAsync(CancellationToken.None).ConfigureAwait(false);
        _connected = false;
        ServiceBusLog.Stopped(logger, settings.QueueName);
    }
}
