using Microsoft.Extensions.Logging;

namespace IpIqa.Azure.Blobs;

internal static partial class BlobLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Blob {Uri} already has other tags; {Dropped} left out to stay within {MaxTags} tags")]
    public static partial void TagsDropped(ILogger logger, string uri, string dropped, int maxTags);
}
