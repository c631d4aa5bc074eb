namespace IpIqa.Training.Tests.Support;

/// <summary>
/// Reads back what the tests check in a written <c>.onnx</c> file: the graph's initializers, nodes,
/// inputs and outputs (field numbers of onnx.proto). A plain protobuf wire-format walk, independent of
/// the writer under test.
/// </summary>
internal static class OnnxModelReader
{
    /// <summary>One initializer: name, ONNX data type code, dims, raw little-endian bytes.</summary>
    public sealed record Initializer(string Name, int DataType, long[] Dims, byte[] RawData);

    /// <summary>One node with its integer attributes.</summary>
    public sealed record Node(string Name, string OpType, string[] Inputs, string[] Outputs, Dictionary<string, long> IntAttributes);

    /// <summary>A graph input or output with its element type code.</summary>
    public sealed record Value(string Name, int ElementType);

    public sealed record Graph(IReadOnlyList<Initializer> Initializers, IReadOnlyList<Node> Nodes, IReadOnlyList<Value> Inputs, IReadOnlyList<Value> Outputs);

    public static Graph Read(string path)
    {
        var model = File.ReadAllBytes(path);
        var graph = Fields(model).Single(f => f.Number == 7).Bytes; // ModelProto.graph
        var fields = Fields(graph).ToArray();
        return new Graph(
            fields.Where(f => f.Number == 5).Select(f => ReadInitializer(f.Bytes)).ToArray(),
            fields.Where(f => f.Number == 1).Select(f => ReadNode(f.Bytes)).ToArray(),
            fields.Where(f => f.Number == 11).Select(f => ReadValue(f.Bytes)).ToArray(),
            fields.Where(f => f.Number == 12).Select(f => ReadValue(f.Bytes)).ToArray());
    }

    private static Initializer ReadInitializer(byte[] tensor)
    {
        var fields = Fields(tensor).ToArray();
        return new Initializer(
            Text(fields, 8),
            (int)fields.Single(f => f.Number == 2).Varint,
            fields.Where(f => f.Number == 1).Select(f => (long)f.Varint).ToArray(),
            fields.Where(f => f.Number == 9).Select(f => f.Bytes).FirstOrDefault() ?? []);
    }

    private static Node ReadNode(byte[] node)
    {
        var fields = Fields(node).ToArray();
        var attributes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var attribute in fields.Where(f => f.Number == 5).Select(f => Fields(f.Bytes).ToArray()))
        {
            if (attribute.Any(f => f.Number == 3))
            {
                attributes[Text(attribute, 1)] = (long)attribute.Single(f => f.Number == 3).Varint;
            }
        }

        return new Node(
            Text(fields, 3),
            Text(fields, 4),
            fields.Where(f => f.Number == 1).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes)).ToArray(),
            fields.Where(f => f.Number == 2).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes)).ToArray(),
            attributes);
    }

    private static Value ReadValue(byte[] valueInfo)
    {
        var fields = Fields(valueInfo).ToArray();
        var type = Fields(fields.Single(f => f.Number == 2).Bytes).Single(f => f.Number == 1).Bytes; // TypeProto.tensor_type
        return new Value(Text(fields, 1), (int)Fields(type).Single(f => f.Number == 1).Varint); // elem_type
    }

    private static string Text(IEnumerable<Field> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes)).FirstOrDefault() ?? "";

    private readonly record struct Field(int Number, ulong Varint, byte[] Bytes);

    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    yield return new Field(number, ReadVarint(message, ref position), []);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return new Field(number, 0, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unknown protobuf wire type {tag & 7} at byte {position}.");
            }
        }
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
