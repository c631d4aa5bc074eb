using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Training.Tests.Support;

/// <summary>Runs an exported ONNX file with ONNX Runtime on the CPU.</summary>
internal sealed class OnnxGraphRunner(string path) : IDisposable
{
    private readonly InferenceSession _session = new(path);

    public IReadOnlyList<string> InputNames => _session.InputNames;

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>Runs the graph; each input is a float[] or long[] with its shape. Returns every output as floats.</summary>
    public Dictionary<string, float[]> Run(params (string Name, Array Values, long[] Shape)[] inputs)
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var (_, data, shape) in inputs)
            {
                values.Add(data switch
                {
                    float[] floats => OrtValue.CreateTensorValueFromMemory(floats, shape),
                    long[] longs => OrtValue.CreateTensorValueFromMemory(longs, shape),
                    _ => throw new ArgumentException($"Unsupported input array {data.GetType()}."),
                });
            }

            using var options = new RunOptions();
            var outputNames = _session.OutputNames;
            using var results = _session.Run(options, inputs.Select(i => i.Name).ToArray(), values, outputNames);
            return outputNames
                .Select((name, i) => (name, results[i].GetTensorDataAsSpan<float>().ToArray()))
                .ToDictionary(x => x.name, x => x.Item2);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();
}
