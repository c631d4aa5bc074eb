using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Tests.Fakes;

/// <summary>A session that runs <paramref name="inner"/> but throws <see cref="Fault"/> from every image-graph run while it is set, as a failing device does.</summary>
internal sealed class FaultingModelSession(IModelSession inner) : IModelSession
{
    private Exception? _fault;
    private int _faultedRuns;

    /// <summary>What the next runs throw; null lets them through.</summary>
    public Exception? Fault
    {
        get => Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, value);
    }

    /// <summary>Runs that threw <see cref="Fault"/>.</summary>
    public int FaultedRuns => Volatile.Read(ref _faultedRuns);

    public ModelIdentity Identity => inner.Identity;

    public int MaxBatchSize => inner.MaxBatchSize;

    public int ContextLength => inner.ContextLength;

    public int EmbedDim => inner.EmbedDim;

    public PreprocessSpec Preprocess => inner.Preprocess;

    public IReadOnlyList<string> Outputs => inner.Outputs;

    public string ExecutionProviderName => inner.ExecutionProviderName;

    public void EncodeText(IReadOnlyList<long[]> inputIds, Span<float> textFeatures) => inner.EncodeText(inputIds, textFeatures);

    public void Score(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores)
    {
        if (Fault is { } fault)
        {
            Interlocked.Increment(ref _faultedRuns);
            throw fault;
        }

        inner.Score(pixels, textFeatures, scores);
    }

    public void Dispose() => inner.Dispose();
}
