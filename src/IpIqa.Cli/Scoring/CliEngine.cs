using IpIqa.Core.Contracts;
using IpIqa.Core.Imaging;
using IpIqa.Core.Tokenization;
using IpIqa.Imaging;
using IpIqa.Inference;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Scoring;
using Microsoft.Extensions.Logging;

namespace IpIqa.Cli.Scoring;

/// <summary>The CLI's composition root for a scoring engine: the bundle's tokenizer, the image preprocessor, ONNX Runtime.</summary>
internal static class CliEngine
{
    public static ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Warning)
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    /// <param name="preprocessThreads">Images decoded at once; 0: one per processor.</param>
    /// <param name="cacheText">Whether text features are cached per prompt.</param>
    /// <param name="spinning">Whether ONNX Runtime's intra-op threads spin while idle.</param>
    /// <param name="maxPromptBytes">Longest prompt scored, in UTF-8 bytes (<c>--max-prompt-bytes</c>, the worker's <c>IpIqa:Model:MaxPromptBytes</c>).</param>
    public static LoadedScoringEngine Load(
        string bundlePath,
        int batchSize,
        int threads,
        ExecutionProvider provider,
        ILoggerFactory loggers,
        int preprocessThreads = 0,
        bool cacheText = true,
        bool spinning = false,
        int maxPromptBytes = RequestLimits.DefaultMaxPromptBytes)
    {
        var model = new ModelOptions
        {
            BundlePath = bundlePath,
            IntraOpThreads = threads,
            ExecutionProvider = provider,
            IntraOpSpinning = spinning,
            TextCacheCapacity = cacheText ? new ModelOptions().TextCacheCapacity : 0,
            MaxPromptBytes = maxPromptBytes,
        };
        var engine = new ScoringEngineOptions
        {
            Batching = new() { MaxBatchSize = batchSize, MaxQueueDelay = TimeSpan.FromMilliseconds(5), QueueCapacity = batchSize * 4 },
            Preprocessing = new() { Parallelism = preprocessThreads },
            MaxPromptBytes = model.MaxPromptBytes,
        };
        return ScoringEngineFactory.Create(model, engine, bundle => BundleTokenizerLoader.Load(bundle.Manifest, bundle.Folder), CreatePreprocessor(loggers), loggers);
    }

    public static IImagePreprocessor CreatePreprocessor(ILoggerFactory loggers) =>
        new ImagePreprocessor(new ImagingOptions(), loggers.CreateLogger<ImagePreprocessor>());
}
