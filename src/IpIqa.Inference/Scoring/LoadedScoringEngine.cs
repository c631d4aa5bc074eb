using IpIqa.Inference.Bundles;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Scoring;

/// <summary>A scoring engine with the bundle, session, cache and metrics it owns; disposing drains and releases them.</summary>
public sealed class LoadedScoringEngine(ModelBundle bundle, IModelSession session, TextFeatureCache cache, InferenceMetrics metrics, ScoringEngine engine) : IAsyncDisposable
{
    public ModelBundle Bundle { get; } = bundle;

    public IModelSession Session { get; } = session;

    public TextFeatureCache Cache { get; } = cache;

    public ScoringEngine Engine { get; } = engine;

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        Session.Dispose();
        metrics.Dispose();
    }
}
