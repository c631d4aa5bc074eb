using Microsoft.Extensions.Logging;

namespace IpIqa.Azure.StorageQueues;

internal static partial class StorageQueueLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Receiving from storage queue {QueueName} ({MaxConcurrent} at once, visibility timeout {VisibilityTimeout})")]
    public static partial void Started(ILogger logger, string queueName, int maxConcurrent, TimeSpan visibilityTimeout);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Stopped receiving from storage queue {QueueName}")]
    public static partial void Stopped(ILogger logger, string queueName);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Receiving from storage queue {QueueName} failed; retrying")]
    public static partial void ReceiveFailed(ILogger logger, string queueName, Exception exception);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Message {MessageId} moved to poison queue {PoisonQueue}: {Code}")]
    public static partial void Poisoned(ILogger logger, string messageId, string code, string poisonQueue);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Renewing the lease of message {MessageId} failed; retrying")]
    public static partial void RenewFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Message {MessageId} lost its lease before it was deleted; another delivery will rewrite the same result")]
    public static partial void LeaseLost(ILogger logger, string messageId);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "Message {MessageId} lost its lease ({Status} {ErrorCode}); renewal stops and another delivery will handle it")]
    public static partial void RenewLost(ILogger logger, string messageId, int status, string? errorCode);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Handling message {MessageId} failed outside the handler")]
    public static partial void HandlerFailed(ILogger logger, string messageId, Exception exception);
}
