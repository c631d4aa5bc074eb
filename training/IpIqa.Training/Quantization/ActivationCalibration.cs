using IpIqa.Core.Imaging;
using IpIqa.Training.Onnx;
using IpIqa.Training.Weights;
using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Training.Quantization;

/// <summary>
/// MinMax calibration: runs the float32 graph with ONNX Runtime on the CPU over the calibration images,
/// preprocessed by the serving preprocessor with the bundle's resolution, mean and std, and records the
/// smallest and largest value of each tensor <see cref="Int8Quantization.CalibrationTensors"/> names
/// (they are added to a copy of the graph as outputs). <c>text_features</c> is fed zeros: no quantized
/// tensor depends on it.
/// </summary>
public static class ActivationCalibration
{
    public static IReadOnlyDictionary<string, (float Min, float Max)> Run(
        GraphBuilder source,
        CalibrationSet calibration,
        IImagePreprocessor preprocessor,
        PreprocessSpec spec,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentNullException.ThrowIfNull(spec);
        var tensors = Int8Quantization.CalibrationTensors(source);
        var inputs = source.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var observed = tensors.Where(t => !inputs.ContainsKey(t)).ToArray();

        using var stream = new MemoryStream();
        OnnxModelWriter.Write(WithOutputs(source, observed), stream);
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        using var session = new InferenceSession(stream.ToArray(), options);
        using var runOptions = new RunOptions();

        var ranges = tensors.ToDictionary(t => t, _ => (Min: float.PositiveInfinity, Max: float.NegativeInfinity), StringComparer.Ordinal);
        var pixels = new float[spec.TensorLength];
        foreach (var image in calibration.ImagePaths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                preprocessor.Preprocess(File.ReadAllBytes(image), spec, pixels);
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
            {
                throw new InvalidDataException($"Calibration image '{image}' cannot be used: {ex.Message}", ex);
            }

            var feeds = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var values = new List<OrtValue>();
            try
            {
                foreach (var input in source.Inputs)
                {
                    var shape = input.Dims.Select(d => d.Value ?? 1L).ToArray();
                    var data = input.Name == ImageGraphExporter.PixelsInput ? pixels : new float[shape.Aggregate(1L, (a, b) => a * b)];
                    feeds[input.Name] = data;
                    values.Add(OrtValue.CreateTensorValueFromMemory(data, shape));
                }

                using var results = session.Run(runOptions, source.Inputs.Select(i => i.Name).ToArray(), values, observed);
                for (var i = 0; i < observed.Length; i++)
                {
                    Widen(ranges, observed[i], results[i].GetTensorDataAsSpan<float>());
                }

                foreach (var tensor in tensors.Where(feeds.ContainsKey))
                {
                    Widen(ranges, tensor, feeds[tensor]);
                }
            }
            finally
            {
                values.ForEach(v => v.Dispose());
            }
        }

        return ranges;
    }

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
