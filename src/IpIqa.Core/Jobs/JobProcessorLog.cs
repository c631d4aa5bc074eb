using Microsoft.Extensions.Logging;

namespace IpIqa.Core.Jobs;

internal static partial class JobProcessorLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Job {JobId} (message {MessageId}) scored quality {Quality} alignment {Alignment}: {Verdict}")]
    public static partial void Completed(ILogger logger, string jobId, string messageId, double quality, double alignment, string verdict);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Job {JobId} (message {MessageId}) dead-lettered: {Code}: {Description}")]
    public static partial void DeadLettered(ILogger logger, string? jobId, string messageId, string code, string description);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Message {MessageId} (delivery {DeliveryCount}) failed transiently and is abandoned")]
    public static partial void Transient(ILogger logger, string messageId, int deliveryCount, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Message {MessageId} abandoned on shutdown")]
    public static partial void AbandonedOnShutdown(ILogger logger, string messageId);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Abandoning message {MessageId} failed; its lock will expire")]
    public static partial void AbandonFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Message {MessageId} (delivery {DeliveryCount}) met a device fault and is abandoned after {BackOff}: {Reason}")]
    public static partial void DeviceFault(ILogger logger, string messageId, int deliveryCount, TimeSpan backOff, string reason);
}
