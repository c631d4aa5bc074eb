using IpIqa.Core.Imaging;
using IpIqa.Training.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Training.Quantization;

/// <summary>
/// One pass of the float32 graph over the calibration images: hands each calibrated tensor's values, image by
/// image, to an observer (graph inputs from the feeds, the others from the session's added outputs).
/// </summary>
internal sealed class CalibrationPass(
    GraphBuilder source,
    InferenceSession session,
    string[] observed,
    IReadOnlyList<string> tensors,
    CalibrationSet calibration,
    IImagePreprocessor preprocessor,
    PreprocessSpec spec)
{
    public delegate void Observer(string tensor, ReadOnlySpan<float> values);

    public void Run(Observer observe, CancellationToken cancellationToken)
    {
        using var runOptions = new RunOptions();
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
                    observe(observed[i], results[i].GetTensorDataAsSpan<float>());
                }

                foreach (var tensor in tensors.Where(feeds.ContainsKey))
                {
                    observe(tensor, feeds[tensor]);
                }
            }
            finally
            {
                values.ForEach(v => v.Dispose());
            }
        }
    }
}
