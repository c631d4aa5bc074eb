using IpIqa.Core.Imaging;
using IpIqa.Training.Onnx;
using IpIqa.Training.Weights;
using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Training.Quantization;

/// <summary>
/// Activation calibration: runs the float32 graph with ONNX Runtime on the CPU over the calibration images,
/// preprocessed by the serving preprocessor with the bundle's resolution, mean and std, and records the
/// range of each tensor <see cref="Int8Quantization.CalibrationTensors"/> names (they are added to a copy of
/// the graph as outputs): the smallest and largest value (MinMax), or with another <see cref="Int8Settings.Method"/>
/// a second pass that bins each tensor's values over that range (<see cref="ActivationHistogram"/>) and picks
/// a narrower range from the histogram.
/// <c>text_features</c> is fed zeros: no quantized tensor depends on it.
/// </summary>
public static class ActivationCalibration
{
    public static IReadOnlyDictionary<string, (float Min, float Max)> Run(
        GraphBuilder source,
        CalibrationSet calibration,
        IImagePreprocessor preprocessor,
        PreprocessSpec spec,
        Int8Settings settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        var tensors = Int8Quantization.CalibrationTensors(source, settings.KeepFloat, settings.FloatProjections);
        var inputs = source.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var observed = tensors.Where(t => !inputs.ContainsKey(t)).ToArray();

        using var stream = new MemoryStream();
        OnnxModelWriter.Write(WithOutputs(source, observed), stream);
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        using var session = new InferenceSession(stream.ToArray(), options);
        var pass = new CalibrationPass(source, session, observed, tensors, calibration, preprocessor, spec);

        var ranges = tensors.ToDictionary(t => t, _ => (Min: float.PositiveInfinity, Max: float.NegativeInfinity), StringComparer.Ordinal);
        pass.Run((tensor, values) => Widen(ranges, tensor, values), cancellationToken);
        if (settings.Method == CalibrationMethod.MinMax)
        {
            return ranges;
        }

        var share = settings.Percentile ?? Int8Settings.DefaultPercentile;
        if (settings.Method == CalibrationMethod.Percentile && share is <= 0.5 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), share, "The percentile is a share of the values in (0.5, 1].");
        }

        var histograms = tensors.ToDictionary(t => t, t => new ActivationHistogram(ranges[t].Min, ranges[t].Max), StringComparer.Ordinal);
        pass.Run((tensor, values) => histograms[tensor].Add(values), cancellationToken);
        return tensors.ToDictionary(t => t, t => Choose(histograms[t], settings.Method, share), StringComparer.Ordinal);
    }

    /// <summary>The range <paramref name="method"/> picks from a tensor's histogram.</summary>
    internal static (float Min, float Max) Choose(ActivationHistogram histogram, CalibrationMethod method, double share) => method switch
    {
        CalibrationMethod.Percentile => histogram.Percentile(share),
        CalibrationMethod.Entropy => histogram.Entropy(),
        CalibrationMethod.Mse => histogram.Mse(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "MinMax needs no histogram."),
    };

    private static void Widen(Dictionary<string, (float Min, float Max)> ranges, string tensor, ReadOnlySpan<float> values)
    {
        var (min, max) = ranges[tensor];
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        ranges[tensor] = (min, max);
    }

    /// <summary>A copy of the graph that also outputs <paramref name="tensors"/> (float32, shape left to ONNX Runtime).</summary>
    private static GraphBuilder WithOutputs(GraphBuilder source, IReadOnlyList<string> tensors)
    {
        var copy = new GraphBuilder(source.Name);
        foreach (var input in source.Inputs)
        {
            copy.Input(input.Name, input.ElementType, [.. input.Dims]);
        }

        foreach (var (name, tensor) in source.Initializers)
        {
            copy.Initializer(name, tensor);
        }

        foreach (var node in source.Nodes)
        {
            copy.AddNode(node);
        }

        foreach (var output in source.Outputs)
        {
            copy.DeclareOutput(output);
        }

        foreach (var tensor in tensors)
        {
            copy.DeclareOutput(new OnnxValueInfo(tensor, TensorElementType.Float32, [], ShapeKnown: false));
        }

        return copy;
    }
}
