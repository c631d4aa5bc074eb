using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Local;

internal static partial class LocalLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Found {Count} new jobs in {JobsPath}; {Done} more were done by an earlier run")]
    public static partial void Found(ILogger logger, int count, int done, string jobsPath);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Skipped {Entry} in IpIqa:Local:JobsPath: {Reason}")]
    public static partial void Skipped(ILogger logger, string entry, string reason);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Job {MessageId} failed on {Attempts} attempts; giving up: {Reason}")]
    public static partial void GaveUp(ILogger logger, string messageId, int attempts, string? reason);
}
