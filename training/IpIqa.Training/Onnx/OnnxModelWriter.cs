using IpIqa.Training.Onnx.Protobuf;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// Writes a <see cref="GraphBuilder"/> as an ONNX <c>ModelProto</c> (field numbers of onnx.proto).
/// Initializer bytes go to the stream straight from their source buffers. Hand-written on purpose:
/// Google.Protobuf's generated <c>TensorProto</c> would hold each initializer as a <c>ByteString</c>
/// copy, doubling the export's peak memory for large towers, and TorchSharp has no ONNX export.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>The default-domain opset the graphs target (LayerNormalization needs 17).</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with opset 17.</summary>
    public const long IrVersion = 8;

    public const string ProducerName = "ipiqa-train";

    public static void Write(GraphBuilder graph, Stream stream, string docString = "")
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(stream);
        var model = new ProtoMessage()
            .Int64(1, IrVersion) // ir_version
            .String(2, ProducerName) // producer_name
            .String(3, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0") // producer_version
            .String(6, docString) // doc_string
            .Message(7, Graph(graph)) // graph
            .Message(8, new ProtoMessage().String(1, "").Int64(2, Opset)); // opset_import
        model.WriteTo(stream);
    }

    public static void WriteFile(GraphBuilder graph, string path, string docString = "")
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(graph, stream, docString);
    }

    private static ProtoMessage Graph(GraphBuilder graph) => new ProtoMessage()
        .Messages(1, graph.Nodes.Select(Node)) // node
        .String(2, graph.Name) // name
        .Messages(5, graph.Initializers.Select(kv => Tensor(kv.Key, kv.Value))) // initializer
        .Messages(11, graph.Inputs.Select(ValueInfo)) // input
        .Messages(12, graph.Outputs.Select(ValueInfo)); // output

    private static ProtoMessage Node(OnnxNode node) => new ProtoMessage()
        .Strings(1, node.Inputs) // input
        .Strings(2, node.Outputs) // output
        .String(3, node.Name) // name
        .String(4, node.OpType) // op_type
        .Messages(5, node.Attributes.Select(Attribute)); // attribute

    private static ProtoMessage Attribute(OnnxAttribute attribute)
    {
        // AttributeProto: name = 1, f = 2, i = 3, s = 4, ints = 8, type = 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
        var message = new ProtoMessage().String(1, attribute.Name);
        return attribute switch
        {
            { Int: { } i } => message.Int64(3, i).Int64(20, 2),
            { Float: { } f } => message.Float(2, f).Int64(20, 1),
            { Ints: { } ints } => message.Int64s(8, ints).Int64(20, 7),
            { Text: { } s } => message.String(4, s).Int64(20, 3),
            _ => throw new InvalidOperationException($"Attribute '{attribute.Name}' has no value."),
        };
    }

    private static ProtoMessage Tensor(string name, TensorData tensor) => new ProtoMessage()
        .Int64s(1, tensor.Shape) // dims
        .Int64(2, (long)tensor.ElementType) // data_type
        .String(8, name) // name
        .Bytes(9, checked((int)tensor.ByteCount), () => tensor.Bytes); // raw_data (little-endian)

    private static ProtoMessage ValueInfo(OnnxValueInfo info)
    {
        var shape = new ProtoMessage().Messages(1, info.Dims.Select(d => d.Param is { } param
            ? new ProtoMessage().String(2, param) // dim_param
            : new ProtoMessage().Int64(1, d.Value ?? 0))); // dim_value
        var tensorType = new ProtoMessage().Int64(1, (long)info.ElementType);
        if (info.ShapeKnown)
        {
            tensorType.Message(2, shape);
        }

        return new ProtoMessage()
            .String(1, info.Name)
            .Message(2, new ProtoMessage().Message(1, tensorType)); // TypeProto.tensor_type
    }
}
