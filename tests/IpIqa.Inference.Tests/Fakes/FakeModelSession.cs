using System.Collections.Concurrent;
using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Tests.Fakes;

/// <summary>
/// A model whose outputs are simple functions of its inputs, so a test can tell which image and
/// which prompt produced a score: text feature j of a prompt is ids[1] + j; quality is the first
/// pixel, alignment is the first text feature. With <see cref="HasHead"/>, an item's image features are its first
/// pixel, and the head scores them as <see cref="Score"/> scores the image. A first pixel of <see cref="PoisonPixel"/> throws an
/// <see cref="ArgumentException"/>: the item's data cannot be run (not a device fault).
/// </summary>
internal sealed class FakeModelSession(int maxBatchSize = 8, int contextLength = 4, int embedDim = 3, int imageSize = 2) : IModelSession
{
    public const float PoisonPixel = -999f;

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public ConcurrentQueue<long> EncodedPrompts { get; } = new();

    /// <summary>Items the image graph ran on, all runs together.</summary>
    public int ImageItems => _imageItems;

    /// <summary>Items the head graph ran on, all runs together.</summary>
    public int HeadItems { get; private set; }

    private int _imageItems;

    public ModelIdentity Identity { get; } = new("fake", "0.1", "0123456789ab");

    public int MaxBatchSize { get; } = maxBatchSize;

    public int ContextLength { get; } = contextLength;

    public int EmbedDim { get; } = embedDim;

    public PreprocessSpec Preprocess { get; } = new(imageSize, [0f, 0f, 0f], [1f, 1f, 1f]);

    public IReadOnlyList<string> Outputs { get; } = ["alignment", "quality"];

    public string ExecutionProviderName => "FAKE";

    public bool Disposed { get; private set; }

    public void EncodeText(IReadOnlyList<long[]> inputIds, Span<float> textFeatures)
    {
        Assert.InRange(inputIds.Count, 1, MaxBatchSize);
        for (var i = 0; i < inputIds.Count; i++)
        {
            Assert.Equal(ContextLength, inputIds[i].Length);
            EncodedPrompts.Enqueue(inputIds[i][1]);
            for (var j = 0; j < EmbedDim; j++)
            {
                textFeatures[(i * EmbedDim) + j] = inputIds[i][1] + j;
            }
        }
    }

    public void Score(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores)
    {
        Assert.InRange(pixels.Count, 1, MaxBatchSize);
        BatchSizes.Enqueue(pixels.Count);
        Interlocked.Add(ref _imageItems, pixels.Count);
        for (var i = 0; i < pixels.Count; i++)
        {
            if (pixels[i][0] == PoisonPixel)
            {
                throw new ArgumentException("the model cannot run this image");
            }

            scores[i * 2] = textFeatures[i * EmbedDim];
            scores[(i * 2) + 1] = pixels[i][0];
        }
    }

    /// <summary>Side of the fake attention map; 0 (the default) is a bundle without the output.</summary>
    public int AttentionGrid { get; init; }

    /// <summary>Runs that bound the attention output.</summary>
    public int AttentionRuns { get; private set; }

    /// <summary>Called after each run with the attention output, once its item is scored (a file replaced since, say).</summary>
    public Action? AfterAttentionRun { get; init; }

    /// <summary>Scores as <see cref="Score"/>; every cell of item i's map is its first pixel.</summary>
    public void ScoreWithAttention(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores, Span<float> attention)
    {
        Assert.True(AttentionGrid > 0, "the engine asked a session without attention for a map");
        AttentionRuns++;
        Score(pixels, textFeatures, scores);
        var cells = AttentionGrid * AttentionGrid;
        for (var i = 0; i < pixels.Count; i++)
        {
            attention.Slice(i * cells, cells).Fill(pixels[i][0]);
        }

        AfterAttentionRun?.Invoke();
    }

    public bool HasHead { get; init; }

    /// <summary>Scores as <see cref="ScoreWithAttention"/>; item i's only image feature is its first pixel.</summary>
    public IReadOnlyList<ImageFeatures> ScoreKeepingFeatures(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores, Span<float> attention)
    {
        Assert.True(HasHead, "the engine asked a session without a head graph for image features");
        ScoreWithAttention(pixels, textFeatures, scores, attention);
        return [.. pixels.Select(p => new ImageFeatures([[p[0]]], [[1L]]))];
    }

    /// <summary>Scores features as <see cref="Score"/> scores the image they came from.</summary>
    public void ScoreFeatures(IReadOnlyList<ImageFeatures> features, ReadOnlySpan<float> textFeatures, Span<float> scores)
    {
        Assert.True(HasHead, "the engine asked a session without a head graph to run it");
        Assert.InRange(features.Count, 1, MaxBatchSize);
        HeadItems += features.Count;
        for (var i = 0; i < features.Count; i++)
        {
            scores[i * 2] = textFeatures[i * EmbedDim];
            scores[(i * 2) + 1] = features[i].Values[0][0];
        }
    }

    public void Dispose() => Disposed = true;
}
