using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;

namespace IpIqa.Inference.Onnx;

/// <summary>
/// The graphs of a loaded bundle. Calls are serialised by the implementation; sizes are
/// those of the bundle. A fake of this interface stands in for ONNX Runtime in engine tests.
/// </summary>
public interface IModelSession : IDisposable
{
    ModelIdentity Identity { get; }

    /// <summary>The largest number of items one call takes.</summary>
    int MaxBatchSize { get; }

    int ContextLength { get; }

    int EmbedDim { get; }

    /// <summary>The image preprocessing the image graph expects.</summary>
    PreprocessSpec Preprocess { get; }

    /// <summary>Output names, in the order of the scores' last axis.</summary>
    IReadOnlyList<string> Outputs { get; }

    /// <summary>The execution provider in use, e.g. <c>CPU</c> or <c>CUDA</c>.</summary>
    string ExecutionProviderName { get; }

    /// <summary>Encodes <paramref name="inputIds"/> (each <see cref="ContextLength"/> ids) into <paramref name="textFeatures"/> [N, EmbedDim].</summary>
    void EncodeText(IReadOnlyList<long[]> inputIds, Span<float> textFeatures);

    /// <summary>
    /// Scores N images (each <see cref="PreprocessSpec.TensorLength"/> floats) with their text features [N, EmbedDim] into
    /// <paramref name="scores"/> [N, Outputs.Count].
    /// </summary>
    void Score(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores);

    /// <summary>
    /// Side of the image graph's <c>attention</c> map (grid × grid per item), or 0 when the bundle has no
    /// such output (bundles exported before it existed).
    /// </summary>
    int AttentionGrid => 0;

    /// <summary>
    /// <see cref="Score"/>, also reading the prompt's attention map of each item into <paramref name="attention"/>
    /// [N, AttentionGrid, AttentionGrid], from the same run.
    /// </summary>
    /// <exception cref="NotSupportedException">The bundle has no attention output (<see cref="AttentionGrid"/> is 0).</exception>
    void ScoreWithAttention(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores, Span<float> attention) =>
        throw new NotSupportedException($"Model {Identity} has no '{BundleGraphNames.Attention}' output.");

    /// <summary>Whether the bundle has a head graph (<see cref="BundleGraphs.Head"/>): <see cref="ScoreKeepingFeatures"/> and <see cref="ScoreFeatures"/> work.</summary>
    bool HasHead => false;

    /// <summary>
    /// <see cref="ScoreWithAttention"/>, also returning each item's <see cref="ImageFeatures"/> from the same run,
    /// for <see cref="ScoreFeatures"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The bundle has no head graph or no attention output.</exception>
    IReadOnlyList<ImageFeatures> ScoreKeepingFeatures(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores, Span<float> attention) =>
        throw new NotSupportedException($"Model {Identity} has no head graph.");

    /// <summary>
    /// Runs the head graph alone: N items' image features with their text features [N, EmbedDim] into
    /// <paramref name="scores"/> [N, Outputs.Count], the same scores as <see cref="Score"/> on the images the features came from.
    /// </summary>
    /// <exception cref="NotSupportedException">The bundle has no head graph.</exception>
    void ScoreFeatures(IReadOnlyList<ImageFeatures> features, ReadOnlySpan<float> textFeatures, Span<float> scores) =>
        throw new NotSupportedException($"Model {Identity} has no head graph.");
}
