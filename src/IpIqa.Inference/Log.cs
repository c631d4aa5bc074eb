using Microsoft.Extensions.Logging;

namespace IpIqa.Inference;

/// <summary>Log messages of the inference layer.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "Execution provider {Requested} was asked for but the model runs on CPU: {Reason}")]
    public static partial void FellBackToCpu(this ILogger logger, ExecutionProvider requested, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information,
        Message = "Execution provider Auto: this build carries the CPU ONNX Runtime package, so the model runs on CPU (build with -p:IpIqaGpu=true for CUDA)")]
    public static partial void CpuBuild(this ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Model {Name} {Version} ({Hash}) loaded from {Folder} on {Provider}, max batch {MaxBatchSize}")]
    public static partial void ModelLoaded(this ILogger logger, string name, string version, string hash, string folder, string provider, int maxBatchSize);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Item {Image} failed with {Code}: {Reason}")]
    public static partial void ItemFailed(this ILogger logger, string image, string code, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information,
        Message = "Preprocessing pool: {Size} images decoded at once ({Source})")]
    public static partial void PreprocessingPool(this ILogger logger, int size, string source);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "The model run for {Image} failed through the device or runtime; the device is reported unhealthy until a batch succeeds")]
    public static partial void DeviceFault(this ILogger logger, string image, Exception exception);
}
