using Microsoft.Extensions.Logging;

namespace IpIqa.Azure.ServiceBus;

internal static partial class ServiceBusLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Receiving from Service Bus queue {QueueName} ({MaxConcurrent} at once, prefetch {Prefetch})")]
    public static partial void Started(ILogger logger, string queueName, int maxConcurrent, int prefetch);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Stopped receiving from Service Bus queue {QueueName}")]
    public static partial void Stopped(ILogger logger, string queueName);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Service Bus processor error in {ErrorSource} on {EntityPath}")]
    public static partial void ProcessorError(ILogger logger, string errorSource, string entityPath, Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Reply for job {JobId} sent to {QueueName}")]
    public static partial void ReplySent(ILogger logger, string? jobId, string queueName);
}
