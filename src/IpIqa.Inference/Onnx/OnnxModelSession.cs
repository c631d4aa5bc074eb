using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;
using IpIqa.Inference.Bundles;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Inference.Onnx;

/// <summary>
/// One long-lived ONNX Runtime session per graph, with pinned input and output buffers sized for
/// the largest batch. Calls are serialised; each scoring run binds pre-made OrtValues, so it allocates nothing.
/// The head graph's runs (explanations only, <see cref="HeadGraphRunner"/>) make their tensors per call.
/// </summary>
public sealed class OnnxModelSession : IModelSession
{
    private static readonly string[] ExplainOutputNames = [BundleGraphNames.Scores, BundleGraphNames.Attention];
    private readonly InferenceSession _text;
    private readonly InferenceSession _image;
    private readonly RunOptions _runOptions = new();
    private readonly PinnedTensorBuffer<long> _inputIds;
    private readonly PinnedTensorBuffer<float> _textOut;
    private readonly PinnedTensorBuffer<float> _pixels;
    private readonly PinnedTensorBuffer<float> _textIn;
    private readonly PinnedTensorBuffer<float> _scores;
    private readonly OrtValue[] _textInputs = new OrtValue[1];
    private readonly OrtValue[] _textOutputs = new OrtValue[1];
    private readonly OrtValue[] _imageInputs = new OrtValue[2];
    private readonly OrtValue[] _imageOutputs = new OrtValue[1];
    private readonly OrtValue[] _explainOutputs = new OrtValue[2];
    private PinnedTensorBuffer<float>? _attention;
    private readonly HeadGraphRunner? _head;
    private readonly string[] _featureOutputNames = [];
    private readonly Lock _gate = new();
    private readonly bool _trimText;

    public OnnxModelSession(ModelBundle bundle, ModelOptions options, int maxBatchSize, ILogger<OnnxModelSession> logger)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);

        Identity = bundle.Identity;
        MaxBatchSize = maxBatchSize;
        ContextLength = bundle.ContextLength;
        EmbedDim = bundle.EmbedDim;
        Preprocess = new PreprocessSpec(bundle.ImageSize, bundle.Manifest.Input.Mean, bundle.Manifest.Input.Std);
        Outputs = bundle.Manifest.Outputs;

        (_text, _image, var head, ExecutionProviderName) = SessionFactory.Create(bundle, options, logger);
        try
        {
            GraphContract.Check(_text, "text", bundle.Manifest.Graphs.Text.File, BundleGraphNames.TextInputs, BundleGraphNames.TextOutputs);
            GraphContract.Check(_image, "image", bundle.Manifest.Graphs.Image.File, BundleGraphNames.ImageInputs, BundleGraphNames.ImageOutputs);
            if (head is not null)
            {
                _head = new HeadGraphRunner(head, bundle.Manifest.Graphs.Head!, EmbedDim);
                GraphContract.Check(_image, "image", bundle.Manifest.Graphs.Image.File, [], _head.FeatureNames);
            }
        }
        catch
        {
            _text.Dispose();
            _image.Dispose();
            head?.Dispose();
            throw;
        }

        // The optional attention map: listed in the manifest and present in the graph, [N, grid, grid].
        if (bundle.Manifest.Graphs.Image.HasOutput(BundleGraphNames.Attention)
            && _image.OutputMetadata.TryGetValue(BundleGraphNames.Attention, out var attention)
            && attention.Dimensions is [_, var rows, var columns] && rows > 0 && rows == columns)
        {
            AttentionGrid = rows;
        }

        if (_head is not null)
        {
            _featureOutputNames = [BundleGraphNames.Scores, BundleGraphNames.Attention, .. _head.FeatureNames];
        }

        // A text graph whose sequence axis is symbolic takes ids cut after the last end-of-text token.
        _trimText = _text.InputMetadata[BundleGraphNames.TextInputs[0]].Dimensions is [_, < 0];
        _inputIds = new PinnedTensorBuffer<long>(maxBatchSize, ContextLength);
        _textOut = new PinnedTensorBuffer<float>(maxBatchSize, EmbedDim);
        _pixels = new PinnedTensorBuffer<float>(maxBatchSize, 3, Preprocess.Size, Preprocess.Size);
        _textIn = new PinnedTensorBuffer<float>(maxBatchSize, EmbedDim);
        _scores = new PinnedTensorBuffer<float>(maxBatchSize, Outputs.Count);
        logger.ModelLoaded(Identity.Name, Identity.Version, Identity.Hash, bundle.Folder, ExecutionProviderName, maxBatchSize);
    }

    public ModelIdentity Identity { get; }

    public int MaxBatchSize { get; }

    public int ContextLength { get; }

    public int EmbedDim { get; }

    public PreprocessSpec Preprocess { get; }

    public IReadOnlyList<string> Outputs { get; }

    public string ExecutionProviderName { get; }

    public int AttentionGrid { get; }

    /// <summary>Whether the bundle has a head graph and an attention output: words are explained from the image features.</summary>
    public bool HasHead => _head is not null && AttentionGrid > 0;

    /// <summary>Whether text batches run only as far as their longest prompt (the text graph's sequence axis is symbolic).</summary>
    public bool TrimsTextIds => _trimText;

    public void EncodeText(IReadOnlyList<long[]> inputIds, Span<float> textFeatures)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var count = CheckCount(inputIds.Count);
        lock (_gate)
        {
            var length = ContextLength;
            if (_trimText)
            {
                // Under the causal mask nothing after the end-of-text token (the highest id)
                // reaches the feature read at it, so the batch runs only as far as its longest prompt.
                length = 1;
                for (var i = 0; i < count; i++)
                {
                    CheckLength(inputIds[i].Length, ContextLength, "input ids", i);
                    length = Math.Max(length, EndOfText(inputIds[i].AsSpan(0, ContextLength)) + 1);
                }
            }

            var packed = _inputIds.Elements(count * length);
            for (var i = 0; i < count; i++)
            {
                CheckLength(inputIds[i].Length, ContextLength, "input ids", i);
                inputIds[i].AsSpan(0, length).CopyTo(packed.Slice(i * length, length));
            }

            using var trimmed = length < ContextLength ? _inputIds.Packed(count, length) : null;
            _textInputs[0] = trimmed ?? _inputIds.Value(count);
            _textOutputs[0] = _textOut.Value(count);
            _text.Run(_runOptions, BundleGraphNames.TextInputs, _textInputs, BundleGraphNames.TextOutputs, _textOutputs);
            _textOut.Span(count).CopyTo(textFeatures);
        }
    }

    public void Score(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var count = CheckCount(pixels.Count);
        lock (_gate)
        {
            FillImageInputs(pixels, textFeatures, count);
            _imageOutputs[0] = _scores.Value(count);
            _image.Run(_runOptions, BundleGraphNames.ImageInputs, _imageInputs, BundleGraphNames.ImageOutputs, _imageOutputs);
            _scores.Span(count).CopyTo(scores);
        }
    }

    public void ScoreWithAttention(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores, Span<float> attention)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (AttentionGrid == 0)
        {
            throw new NotSupportedException($"Model {Identity} has no '{BundleGraphNames.Attention}' output.");
        }

        var count = CheckCount(pixels.Count);
        lock (_gate)
        {
            // Made on the first request only, so a session that never explains holds no map buffer.
            _attention ??= new PinnedTensorBuffer<float>(MaxBatchSize, AttentionGrid, AttentionGrid);
            FillImageInputs(pixels, textFeatures, count);
            _explainOutputs[0] = _scores.Value(count);
            _explainOutputs[1] = _attention.Value(count);
            _image.Run(_runOptions, BundleGraphNames.ImageInputs, _imageInputs, ExplainOutputNames, _explainOutputs);
            _scores.Span(count).CopyTo(scores);
            _attention.Span(count).CopyTo(attention);
        }
    }

    public IReadOnlyList<ImageFeatures> ScoreKeepingFeatures(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores, Span<float> attention)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (!HasHead)
        {
            throw new NotSupportedException($"Model {Identity} has no head graph or no '{BundleGraphNames.Attention}' output.");
        }

        var count = CheckCount(pixels.Count);
        lock (_gate)
        {
            FillImageInputs(pixels, textFeatures, count);
            using var outputs = _image.Run(_runOptions, BundleGraphNames.ImageInputs, _imageInputs, _featureOutputNames);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(scores);
            outputs[1].GetTensorDataAsSpan<float>().CopyTo(attention);
            return HeadGraphRunner.ItemFeatures([.. outputs.Skip(2)], count);
        }
    }

    public void ScoreFeatures(IReadOnlyList<ImageFeatures> features, ReadOnlySpan<float> textFeatures, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (_head is null)
        {
            throw new NotSupportedException($"Model {Identity} has no head graph.");
        }

        CheckCount(features.Count);
        lock (_gate)
        {
            _head.Run(_runOptions, features, textFeatures, scores);
        }
    }

    public void Dispose()
    {
        _text.Dispose();
        _head?.Dispose();
        _image.Dispose();
        _runOptions.Dispose();
        _inputIds.Dispose();
        _textOut.Dispose();
        _pixels.Dispose();
        _textIn.Dispose();
        _scores.Dispose();
        _attention?.Dispose();
    }

    private void FillImageInputs(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, int count)
    {
        for (var i = 0; i < count; i++)
        {
            CheckLength(pixels[i].Length, _pixels.ItemLength, "pixels", i);
            pixels[i].AsSpan(0, _pixels.ItemLength).CopyTo(_pixels.Item(i));
        }

        textFeatures[..(count * EmbedDim)].CopyTo(_textIn.Span(count));
        _imageInputs[0] = _pixels.Value(count);
        _imageInputs[1] = _textIn.Value(count);
    }

    private int CheckCount(int count)
    {
        if (count < 1 || count > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A batch holds 1 to {MaxBatchSize} items.");
        }

        return count;
    }

    /// <summary>The first position of the highest id, where the graph reads the feature (ONNX ArgMax picks the first).</summary>
    private static int EndOfText(ReadOnlySpan<long> ids)
    {
        var best = 0;
        for (var i = 1; i < ids.Length; i++)
        {
            if (ids[i] > ids[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static void CheckLength(int actual, int expected, string what, int index)
    {
        if (actual < expected)
        {
            throw new ArgumentException($"Item {index} has {actual} {what}; the model takes {expected}.");
        }
    }
}
