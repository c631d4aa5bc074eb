using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.ServiceBus;

/// <summary>
/// Replies to the request's <c>ReplyTo</c> (else <see cref="ServiceBusOptions.ReplyQueueName"/>; no reply
/// when neither is set): body = the result JSON, <c>CorrelationId</c> = the request's <c>MessageId</c>,
/// <c>MessageId</c> = the result key, so that duplicate detection on the reply queue drops the second
/// reply of a redelivered job. Runs last: the durable sinks have written when the reply goes.
/// </summary>
public sealed class ServiceBusReplySink(ServiceBusClient client, IOptions<ServiceBusOptions> options, ILogger<ServiceBusReplySink> logger) : IResultSink, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.OrdinalIgnoreCase);

    public string Name => "reply";

    public int Order => 100;

    public async Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var queue = record.Job.ReplyTo ?? options.Value.ReplyQueueName;
        if (string.IsNullOrWhiteSpace(queue))
        {
            return;
        }

        var sender = _senders.GetOrAdd(queue, client.CreateSender);
        var message = new ServiceBusMessage(ScoringJson.SerializeResult(record.Result))
        {
            ContentType = "application/json",
            CorrelationId = record.Job.MessageId,
            MessageId = record.Key,
            Subject = record.Result.IsError ? "ipiqa.error" : "ipiqa.result",
        };
        message.ApplicationProperties["ipiqa-outcome"] = record.Result.Error?.Code ?? record.Result.Verdict?.Outcome ?? "unknown";
        try
        {
            await sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceBusException ex) when (PermanentFailures.IsPermanent(ex))
        {
            throw PermanentFailures.Refused($"The reply of job '{record.Result.JobId}' to queue {queue}", ex);
        }
        ServiceBusLog.ReplySent(logger, LogText.Escape(record.Result.JobId), queue);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }
    }
}
