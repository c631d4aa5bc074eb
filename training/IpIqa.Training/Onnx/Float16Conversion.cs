using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// Rewrites a float32 graph to compute in float16 while keeping a float32 interface:
/// <list type="bullet">
/// <item>every float32 initializer (weights and float constants) becomes float16, rounded to nearest, ties to even;</item>
/// <item>each float32 graph input gets a <c>Cast(to=FLOAT16)</c> right after it, each float32 graph output a <c>Cast(to=FLOAT)</c> before it;</item>
/// <item>the ops in <see cref="Float32Islands"/> run in float32 between casts.</item>
/// </list>
/// Int64 initializers (shapes, axes) are left alone. Only graphs made of the ops in
/// <see cref="SupportedOps"/> convert: their float outputs take the type of their float inputs, so
/// no other node needs a change. An op with a fixed float output type (Cast, Shape, ArgMax, ...) is
/// refused, which is why the text graph does not convert.
/// </summary>
internal static class Float16Conversion
{
    /// <summary>ONNX <c>TensorProto.FLOAT</c> and <c>TensorProto.FLOAT16</c>, the <c>to</c> of a Cast.</summary>
    private const long ToFloat32 = (long)TensorElementType.Float32;
    private const long ToFloat16 = (long)TensorElementType.Float16;

    /// <summary>
    /// Ops kept in float32: the attention Softmax (exponentials of the scores) and the ReduceMean over
    /// all spatial tokens (a long sum). Their tensors are small next to the convolutions, so the casts
    /// cost little, and the result does not depend on how an execution provider accumulates float16.
    /// Every input of these ops is a float tensor.
    /// </summary>
    public static IReadOnlySet<string> Float32Islands { get; } = new HashSet<string>(StringComparer.Ordinal) { "Softmax", "ReduceMean" };

    /// <summary>Ops whose float outputs have the element type of their float inputs (any int64 inputs are shapes, axes or indices).</summary>
    public static IReadOnlySet<string> SupportedOps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Add", "AveragePool", "Concat", "Conv", "Gemm", "Identity", "LayerNormalization", "MatMul", "Mul",
        "ReduceMean", "Relu", "Reshape", "Sigmoid", "Slice", "Softmax", "Split", "Tanh", "Transpose", "Unsqueeze",
    };

    /// <summary>A float16 copy of <paramref name="source"/>, which is not changed.</summary>
    /// <exception cref="NotSupportedException">The graph has an op outside <see cref="SupportedOps"/>; the message names it.</exception>
    /// <exception cref="InvalidDataException">A float32 initializer holds a value beyond the float16 range; the message names it.</exception>
    public static GraphBuilder Convert(GraphBuilder source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Nodes.FirstOrDefault(n => !SupportedOps.Contains(n.OpType)) is { } unsupported)
        {
            throw new NotSupportedException(
                $"Graph '{source.Name}' cannot be converted to float16: node '{unsupported.Name}' is a {unsupported.OpType}, which the conversion does not handle.");
        }

        var target = new GraphBuilder(source.Name);
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in source.Inputs)
        {
            target.Input(input.Name, input.ElementType, [.. input.Dims]);
            if (input.ElementType == TensorElementType.Float32)
            {
                renamed[input.Name] = Cast(target, $"{input.Name}/Cast", input.Name, $"{input.Name}:fp16", ToFloat16);
            }
        }

        foreach (var (name, tensor) in source.Initializers)
        {
            target.Initializer(name, tensor.ElementType == TensorElementType.Float32 ? tensor.ToFloat16($"initializer '{name}'") : tensor);
        }

        var floatOutputs = source.Outputs.Where(o => o.ElementType == TensorElementType.Float32).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        string Produced(string output) => floatOutputs.Contains(output) ? $"{output}:fp16" : output;

        foreach (var node in source.Nodes)
        {
            var inputs = node.Inputs.Select(i => renamed.GetValueOrDefault(i, i)).ToArray();
            if (Float32Islands.Contains(node.OpType))
            {
                var wide = inputs.Select((input, i) => Cast(target, $"{node.Name}/Cast_in{i}", input, $"{node.Name}/in{i}:fp32", ToFloat32)).ToArray();
                var outputs = node.Outputs.Select(o => $"{o}:fp32").ToArray();
                target.AddNode(node with { Inputs = wide, Outputs = outputs });
                for (var i = 0; i < outputs.Length; i++)
                {
                    Cast(target, $"{node.Name}/Cast_out{i}", outputs[i], Produced(node.Outputs[i]), ToFloat16);
                }
            }
            else
            {
                target.AddNode(node with { Inputs = inputs, Outputs = node.Outputs.Select(Produced).ToArray() });
            }

            foreach (var output in node.Outputs.Where(floatOutputs.Contains))
            {
                Cast(target, $"{output}/Cast", Produced(output), output, ToFloat32);
            }
        }

        foreach (var output in source.Outputs)
        {
            target.DeclareOutput(output);
        }

        return target;
    }

    private static string Cast(GraphBuilder g, string nodeName, string input, string output, long to)
    {
        g.AddNode(new OnnxNode(nodeName, "Cast", [input], [output], [OnnxAttribute.Integer("to", to)]));
        return output;
    }
}
