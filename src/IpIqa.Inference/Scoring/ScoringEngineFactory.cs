using IpIqa.Core.Imaging;
using IpIqa.Core.Tokenization;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Onnx;
using Microsoft.Extensions.Logging;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// Builds a <see cref="ScoringEngine"/> without a DI container (the CLI and benchmarks): loads and
/// verifies the bundle, opens the ONNX sessions, and returns an owner that disposes them all.
/// </summary>
public static class ScoringEngineFactory
{
    public static LoadedScoringEngine Create(
        ModelOptions model,
        ScoringEngineOptions engine,
        Func<ModelBundle, IPromptTokenizer> tokenizerFactory,
        IImagePreprocessor preprocessor,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(tokenizerFactory);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        engine.Batching.Validate();
        var bundle = ModelBundleLoader.Load(model.BundlePath);
        var tokenizer = tokenizerFactory(bundle);
        var metrics = new InferenceMetrics();
        OnnxModelSession? session = null;
        try
        {
            session = new OnnxModelSession(bundle, model, engine.Batching.MaxBatchSize, loggerFactory.CreateLogger<OnnxModelSession>());
            var cache = new TextFeatureCache(model.TextCacheCapacity, metrics);
            var scoring = new ScoringEngine(session, tokenizer, preprocessor, cache, metrics, engine, loggerFactory.CreateLogger<ScoringEngine>());
            return new LoadedScoringEngine(bundle, session, cache, metrics, scoring);
        }
        catch
        {
            session?.Dispose();
            metrics.Dispose();
            throw;
        }
    }
}
