using Microsoft.Extensions.Logging;

namespace IpIqa.Imaging;

internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Image decoders: {Decoders}")]
    public static partial void DecodersSelected(ILogger logger, string decoders);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Native codec {Library} could not be loaded; {Format} falls back to ImageSharp (slower, pixels may differ slightly from the reference)")]
    public static partial void NativeCodecMissing(ILogger logger, string library, string format);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Native library {Library} could not be loaded; every PNG goes through libspng (same pixels, slower for 8-bit RGB/RGBA)")]
    public static partial void PngFastPathMissing(ILogger logger, string library);
}
