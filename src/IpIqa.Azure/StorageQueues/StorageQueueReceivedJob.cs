using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace IpIqa.Azure.StorageQueues;

/// <summary>
/// A Storage Queue message received with a visibility timeout. While the job runs its lease is
/// renewed at half the timeout (each renewal gives a new pop receipt). Complete deletes it;
/// abandon makes it visible again after a short back-off, or, at <c>MaxDequeueCount</c>, sends it
/// to the poison queue; dead-letter copies it to the poison queue with the error, then deletes it.
/// </summary>
public sealed class StorageQueueReceivedJob : IReceivedJob, IAsyncDisposable
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly QueueMessage _message;
    private readonly StorageQueueOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _renewal = new();
    private readonly Task _renewalLoop;
    private string _popReceipt;

    public StorageQueueReceivedJob(QueueClient queue, QueueClient poison, QueueMessage message, StorageQueueOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(message);
        _queue = queue;
        _poison = poison;
        _message = message;
        _options = options;
        _logger = logger;
        _popReceipt = message.PopReceipt;
        Body = QueueMessageBody.Decode(message.MessageText);
        _renewalLoop = RenewAsync(_renewal.Token);
    }

    public string MessageId => _message.MessageId;

    public ReadOnlyMemory<byte> Body { get; }

    public int DeliveryCount => (int)Math.Min(int.MaxValue, _message.DequeueCount);

    public DateTimeOffset EnqueuedAt => _message.InsertedOn ?? DateTimeOffset.UtcNow;

    public string? ReplyTo => null;

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await StopRenewalAsync().ConfigureAwait(false);
        try
        {
            await _queue.DeleteMessageAsync(_message.MessageId, PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (LeaseLost(ex))
        {
            // The lease was lost and another delivery holds the message; the result is already durable and idempotent.
            StorageQueueLog.LeaseLost(_logger, MessageId);
        }
    }

    public async Task AbandonAsync(string reason, CancellationToken cancellationToken)
    {
        await StopRenewalAsync().ConfigureAwait(false);
        if (_message.DequeueCount >= _options.MaxDequeueCount)
        {
            var description = $"The job failed on each of {_message.DequeueCount} deliveries; the last failure: {reason}";
            await PoisonAsync(ErrorCodes.InternalError, description, cancellationToken).ConfigureAwait(false);
            return;
        }

        var backOff = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, _message.DequeueCount - 1)));
        await _queue.UpdateMessageAsync(_message.MessageId, PopReceipt, visibilityTimeout: backOff, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task DeadLetterAsync(string code, string description, CancellationToken cancellationToken)
    {
        await StopRenewalAsync().ConfigureAwait(false);
        await PoisonAsync(code, description, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the message with the error to the poison queue, then deletes it from the jobs queue.</summary>
    public async Task PoisonAsync(string code, string description, CancellationToken cancellationToken)
    {
        var entry = PoisonEntryWriter.Build(_message.MessageId, _message.DequeueCount, _message.InsertedOn, code, description, Body.Span);
        await _poison.SendMessageAsync(QueueMessageBody.Encode(entry), cancellationToken).ConfigureAwait(false);
        StorageQueueLog.Poisoned(_logger, MessageId, code, _poison.Name);
        try
        {
            await _queue.DeleteMessageAsync(_message.MessageId, PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (LeaseLost(ex))
        {
            // Another delivery holds the message and will copy it again: poison entries are at least once.
            StorageQueueLog.LeaseLost(_logger, MessageId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewalAsync().ConfigureAwait(false);
        _renewal.Dispose();
    }

    /// <summary>The message is gone (404) or another receiver holds it (400 <c>PopReceiptMismatch</c>).</summary>
    private static bool LeaseLost(RequestFailedException ex) => ex.Status == 404 || (ex.Status == 400 && ex.ErrorCode == "PopReceiptMismatch");

    private string PopReceipt
    {
        get
        {
            lock (_gate)
            {
                return _popReceipt;
            }
        }
    }

    private async Task StopRenewalAsync()
    {
        if (!_renewal.IsCancellationRequested)
        {
            await _renewal.CancelAsync().ConfigureAwait(false);
        }

        await _renewalLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Renews the lease at half the visibility timeout. A failed renewal (a network error as much as a
    /// service error) is logged and retried sooner, at a quarter of the timeout, until the lease is
    /// really lost: the message is gone (404) or another receiver holds it (400 PopReceiptMismatch).
    /// </summary>
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var every = _options.VisibilityTimeout / 2;
        var wait = every;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            try
            {
                // Not cancelled once sent: a renewal the service applied must record its new pop receipt, or the settlement that follows fails.
                var receipt = await _queue.UpdateMessageAsync(_message.MessageId, PopReceipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                lock (_gate)
                {
                    _popReceipt = receipt.Value.PopReceipt;
                }

                wait = every;
            }
            catch (RequestFailedException ex) when (LeaseLost(ex))
            {
                StorageQueueLog.RenewLost(_logger, MessageId, ex.Status, ex.ErrorCode);
                return;
            }
            catch (Exception ex)
            {
                // Any other failure (IOException, HttpRequestException, AggregateException after Azure.Core's retries, 5xx) may heal.
                StorageQueueLog.RenewFailed(_logger, MessageId, ex);
                wait = _options.VisibilityTimeout / 4;
            }
        }
    }
}
