using IpIqa.Core.Bundles;
using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Inference.Onnx;

/// <summary>
/// The head graph of a bundle (<see cref="BundleGraphs.Head"/>): reads the image features out of an image graph run,
/// and scores features against text features. Explanations only, so its tensors are made per call.
/// Not thread-safe: <see cref="OnnxModelSession"/> calls it under its lock.
/// </summary>
internal sealed class HeadGraphRunner : IDisposable
{
    private static readonly string[] ScoresOutput = [BundleGraphNames.Scores];
    private readonly InferenceSession _head;
    private readonly string[] _inputNames;
    private readonly int _embedDim;

    public HeadGraphRunner(InferenceSession head, BundleGraph manifest, int embedDim)
    {
        _head = head;
        _embedDim = embedDim;
        FeatureNames = [.. manifest.Inputs.Where(BundleGraphNames.IsImageFeature)];
        _inputNames = [BundleGraphNames.TextFeatures, .. FeatureNames];
        GraphContract.Check(head, "head", manifest.File, _inputNames, BundleGraphNames.HeadOutputs);
    }

    /// <summary>The image features the head reads, in its input order; the image graph outputs them.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Each item's features from the image run's feature outputs (in <see cref="FeatureNames"/> order).</summary>
    public static IReadOnlyList<ImageFeatures> ItemFeatures(IReadOnlyList<OrtValue> outputs, int count)
    {
        var values = new float[count][][];
        var shapes = new long[outputs.Count][];
        for (var i = 0; i < count; i++)
        {
            values[i] = new float[outputs.Count][];
        }

        for (var f = 0; f < outputs.Count; f++)
        {
            var shape = outputs[f].GetTensorTypeAndShape().Shape;
            var data = outputs[f].GetTensorDataAsSpan<float>();
            if (shape.Length == 0 || shape[0] != count)
            {
                throw new InvalidDataException($"The image graph's image feature {f} has shape [{string.Join(", ", shape)}]; the batch of {count} must be its first axis.");
            }

            shapes[f] = shape[1..];
            var length = data.Length / count;
            for (var i = 0; i < count; i++)
            {
                values[i][f] = data.Slice(i * length, length).ToArray();
            }
        }

        return [.. values.Select(v => new ImageFeatures(v, shapes))];
    }

    /// <summary>Runs the head on <paramref name="features"/> and their <paramref name="textFeatures"/> into <paramref name="scores"/>.</summary>
    public void Run(RunOptions runOptions, IReadOnlyList<ImageFeatures> features, ReadOnlySpan<float> textFeatures, Span<float> scores)
    {
        var count = features.Count;
        var inputs = new OrtValue[_inputNames.Length];
        try
        {
            inputs[0] = OrtValue.CreateTensorValueFromMemory(textFeatures[..(count * _embedDim)].ToArray(), [count, _embedDim]);
            for (var f = 0; f < FeatureNames.Count; f++)
            {
                inputs[f + 1] = Batch(features, f);
            }

            using var outputs = _head.Run(runOptions, _inputNames, inputs, ScoresOutput);
            var result = outputs[0].GetTensorDataAsSpan<float>();
            result.CopyTo(scores[..result.Length]);
        }
        finally
        {
            foreach (var input in inputs)
            {
                input?.Dispose();
            }
        }
    }

    public void Dispose() => _head.Dispose();

    /// <summary>Feature <paramref name="f"/> of every item, stacked on a new batch axis.</summary>
    private OrtValue Batch(IReadOnlyList<ImageFeatures> features, int f)
    {
        var shape = features[0].Shapes[f];
        var length = features[0].Values[f].Length;
        var data = new float[features.Count * length];
        for (var i = 0; i < features.Count; i++)
        {
            var item = features[i];
            if (item.Values.Count != FeatureNames.Count || item.Values[f].Length != length || !item.Shapes[f].AsSpan().SequenceEqual(shape))
            {
                throw new ArgumentException($"Item {i}'s image features do not match the head graph's input '{FeatureNames[f]}' [{string.Join(", ", shape)}].", nameof(features));
            }

            item.Values[f].CopyTo(data, i * length);
        }

        return OrtValue.CreateTensorValueFromMemory(data, [features.Count, .. shape]);
    }
}
