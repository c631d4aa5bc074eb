using IpIqa.Model;
using static TorchSharp.torch;

namespace IpIqa.Training.Import;

/// <summary>The weights of a model as plain float arrays, for writers that do not use TorchSharp (the ONNX exporter).</summary>
public static class StateDictExport
{
    /// <summary>
    /// Every floating-point parameter and buffer, by its official key, as row-major float32 with its
    /// shape. Integer buffers (BatchNorm's <c>num_batches_tracked</c>) play no part in inference and are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, (float[] Data, long[] Shape)> ToFloatArrays(IpIqaModel model)
    {
        var result = new SortedDictionary<string, (float[] Data, long[] Shape)>(StringComparer.Ordinal);
        foreach (var (key, tensor) in model.state_dict())
        {
            if (!tensor.is_floating_point())
            {
                continue;
            }

            using var flat = tensor.detach().cpu().to(ScalarType.Float32).contiguous();
            result[key] = (flat.data<float>().ToArray(), tensor.shape.ToArray());
        }

        return result;
    }
}
