using IpIqa.Training.Import;
using TorchSharp;
using static TorchSharp.torch;

namespace IpIqa.Training.Weights;

/// <summary>
/// The weights that <c>ipiqa-train export</c> writes into ONNX, read from a checkpoint (a
/// <c>.safetensors</c> file or a <c>torch.save</c> archive) by <see cref="CheckpointReader"/>, which is
/// TorchSharp.PyBridge's loader: the same reader as <c>import</c>. Each tensor is copied into
/// managed memory (float16, bfloat16 and float64 widened or narrowed to float32; int64 kept) and its
/// native tensor freed at once, so the peak is one tensor above the managed copy.
/// </summary>
public static class CheckpointWeights
{
    /// <exception cref="CheckpointException">The file is missing, not a checkpoint, unreadable, or holds a tensor of a type the export cannot use.</exception>
    public static WeightSet Read(string path)
    {
        var state = CheckpointReader.Read(path);
        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, tensor) in state)
            {
                tensors[name] = Copy(tensor, name, path);
                tensor.Dispose();
            }
        }
        finally
        {
            foreach (var tensor in state.Values)
            {
                tensor.Dispose();
            }
        }

        return new WeightSet(tensors, Path.GetFileName(path));
    }

    private static TensorData Copy(Tensor tensor, string name, string path)
    {
        var shape = tensor.shape;
        switch (tensor.dtype)
        {
            case ScalarType.Int64:
                using (var contiguous = tensor.contiguous())
                {
                    return TensorData.FromInt64s(contiguous.data<long>().ToArray(), shape);
                }

            case ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64:
                using (var floats = tensor.to(ScalarType.Float32).contiguous())
                {
                    return TensorData.FromFloats(floats.data<float>().ToArray(), shape);
                }

            default:
                throw new CheckpointException($"{path}: tensor '{name}' has dtype {tensor.dtype}; the export reads float16, bfloat16, float32, float64 and int64.");
        }
    }
}
