using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.StorageQueues;

/// <summary>
/// Receives jobs from a Storage Queue: up to <see cref="StorageQueueOptions.MaxConcurrentMessages"/>
/// leased at once, polled with back-off while the queue is empty. A message delivered more than
/// <see cref="StorageQueueOptions.MaxDequeueCount"/> times without being settled (the worker died
/// each time) goes to the poison queue before it is handled again.
/// </summary>
public sealed class StorageQueueJobSource(QueueServiceClient service, IOptions<StorageQueueOptions> options, ILogger<StorageQueueJobSource> logger) : IJobSource
{
    private const int MaxReceive = 32;
    private volatile bool _connected;

    public string Name => "StorageQueue";

    public bool IsConnected => _connected;

    public async Task RunAsync(IJobHandler handler, CancellationToken stoppingToken, CancellationToken abortToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var settings = options.Value;
        var queue = service.GetQueueClient(settings.QueueName);
        var poison = service.GetQueueClient(settings.PoisonQueueName);
        if (settings.UsesConnectionString)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
            await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        }

        StorageQueueLog.Started(logger, settings.QueueName, settings.MessagesToHold, settings.VisibilityTimeout);
        using var slots = new SemaphoreSlim(settings.MessagesToHold);
        var running = new HashSet<Task>();
        var idle = TimeSpan.FromMilliseconds(50);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var free = 1;
                while (free < MaxReceive && slots.Wait(0))
                {
                    free++;
                }

                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(free, settings.VisibilityTimeout, stoppingToken).ConfigureAwait(false)).Value;
                    _connected = true;
                }
                catch (Exception ex) when (ex is RequestFailedException or AggregateException or IOException or HttpRequestException)
                {
                    // Network errors surface as an AggregateException once Azure.Core's retries are spent.
                    _connected = false;
                    slots.Release(free);
                    StorageQueueLog.ReceiveFailed(logger, settings.QueueName, ex);
                    await Task.Delay(settings.MaxPollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (free > messages.Length)
                {
                    slots.Release(free - messages.Length);
                }

                lock (running)
                {
                    running.RemoveWhere(t => t.IsCompleted);
                    foreach (var message in messages)
                    {
                        running.Add(HandleAsync(handler, queue, poison, message, settings, slots, abortToken));
                    }
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(idle, stoppingToken).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(settings.MaxPollInterval.Ticks, idle.Ticks * 2));
                }
                else
                {
                    idle = TimeSpan.FromMilliseconds(50);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop requested: wait for the jobs in flight below.
        }

        Task[] pending;
        lock (running)
        {
            pending = [.. running];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        _connected = false;
        StorageQueueLog.Stopped(logger, settings.QueueName);
    }

    private async Task HandleAsync(IJobHandler handler, QueueClient queue, QueueClient poison, QueueMessage message, StorageQueueOptions settings, SemaphoreSlim slots, CancellationToken abortToken)
    {
        await Task.Yield();
        try
        {
            await using var job = new StorageQueueReceivedJob(queue, poison, message, settings, logger);
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                var description = $"The message was delivered {message.DequeueCount} times without being settled (IpIqa:StorageQueue:MaxDequeueCount is {settings.MaxDequeueCount}).";
                await job.PoisonAsync(ErrorCodes.InternalError, description, abortToken).ConfigureAwait(false);
                return;
            }

            await handler.HandleAsync(job, abortToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The handler settles; this only sees a failed poison copy or cancellation. The lease expires and the message returns.
            StorageQueueLog.HandlerFailed(logger, message.MessageId, ex);
        }
        finally
        {
            slots.Release();
        }
    }
}
