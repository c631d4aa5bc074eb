using System.Buffers.Binary;
using System.Text;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// Reads an ONNX file that <see cref="OnnxModelWriter"/> wrote back into a <see cref="GraphBuilder"/>, so a
/// graph pass (such as <see cref="Int8Quantization"/>) can run on an existing bundle. It reads what the
/// writer writes: nodes with int, float, string and int-list attributes, initializers as <c>raw_data</c>,
/// and tensor-typed inputs and outputs. Anything else is refused with a message that names it.
/// </summary>
public static class OnnxGraphReader
{
    /// <exception cref="InvalidDataException">The file is not an ONNX model of that form; the message says why.</exception>
    public static GraphBuilder ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"ONNX file '{path}' does not exist.");
        }

        try
        {
            return Read(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or OverflowException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} is not an ONNX model this tool wrote: {ex.Message}", ex);
        }
    }

    private static GraphBuilder Read(ReadOnlyMemory<byte> model)
    {
        var graph = Fields(model).LastOrDefault(f => f.Number == 7).Bytes; // ModelProto.graph
        if (graph.IsEmpty)
        {
            throw new InvalidOperationException("the model has no graph");
        }

        var fields = Fields(graph).ToArray();
        var builder = new GraphBuilder(Text(fields, 2));
        foreach (var input in fields.Where(f => f.Number == 11).Select(f => ValueInfo(f.Bytes)))
        {
            builder.DeclareInput(input);
        }

        foreach (var tensor in fields.Where(f => f.Number == 5))
        {
            var (name, data) = Tensor(tensor.Bytes);
            builder.Initializer(name, data);
        }

        foreach (var node in fields.Where(f => f.Number == 1))
        {
            builder.AddNode(Node(node.Bytes));
        }

        foreach (var output in fields.Where(f => f.Number == 12))
        {
            builder.DeclareOutput(ValueInfo(output.Bytes));
        }

        return builder;
    }

    private static OnnxNode Node(ReadOnlyMemory<byte> node)
    {
        var fields = Fields(node).ToArray();
        if (fields.Any(f => f.Number == 7 && f.Bytes.Length > 0))
        {
            throw new InvalidOperationException($"node '{Text(fields, 3)}' has a domain; only default-domain ops are read");
        }

        return new OnnxNode(
            Text(fields, 3),
            Text(fields, 4),
            Strings(fields, 1),
            Strings(fields, 2),
            fields.Where(f => f.Number == 5).Select(f => Attribute(f.Bytes)).ToArray());
    }

    private static OnnxAttribute Attribute(ReadOnlyMemory<byte> attribute)
    {
        // AttributeProto: name = 1, f = 2, i = 3, s = 4, ints = 8, type = 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
        var fields = Fields(attribute).ToArray();
        var name = Text(fields, 1);
        var type = fields.Where(f => f.Number == 20).Select(f => (long)f.Varint).FirstOrDefault();
        return type switch
        {
            1 => OnnxAttribute.Real(name, BitConverter.Int32BitsToSingle((int)fields.Single(f => f.Number == 2).Varint)),
            2 => OnnxAttribute.Integer(name, (long)fields.Single(f => f.Number == 3).Varint),
            3 => OnnxAttribute.String(name, Text(fields, 4)),
            7 => OnnxAttribute.Integers(name, [.. fields.Where(f => f.Number == 8).SelectMany(Int64s)]),
            _ => throw new InvalidOperationException($"attribute '{name}' has type {type}, which this reader does not handle"),
        };
    }

    private static (string Name, TensorData Data) Tensor(ReadOnlyMemory<byte> tensor)
    {
        var fields = Fields(tensor).ToArray();
        var name = Text(fields, 8);
        var raw = fields.Where(f => f.Number == 9).Select(f => f.Bytes).FirstOrDefault();
        var type = (TensorElementType)(int)fields.Single(f => f.Number == 2).Varint;
        if (!Enum.IsDefined(type) || (raw.IsEmpty && fields.Any(f => f.Number is 4 or 5 or 7 or 10 or 13)))
        {
            throw new InvalidOperationException($"initializer '{name}' is not a raw_data tensor of a known type (data_type {(int)type})");
        }

        return (name, new TensorData(type, [.. fields.Where(f => f.Number == 1).SelectMany(Int64s)], raw));
    }

    private static OnnxValueInfo ValueInfo(ReadOnlyMemory<byte> valueInfo)
    {
        var fields = Fields(valueInfo).ToArray();
        var name = Text(fields, 1);
        var typeProto = fields.SingleOrDefault(f => f.Number == 2).Bytes;
        var tensorType = Fields(typeProto).SingleOrDefault(f => f.Number == 1).Bytes;
        if (tensorType.IsEmpty)
        {
            throw new InvalidOperationException($"graph value '{name}' is not a tensor");
        }

        var tensorFields = Fields(tensorType).ToArray();
        var elementType = (TensorElementType)(int)tensorFields.Single(f => f.Number == 1).Varint;
        var shape = tensorFields.SingleOrDefault(f => f.Number == 2).Bytes;
        var dims = Fields(shape).Where(f => f.Number == 1).Select(f =>
        {
            var dim = Fields(f.Bytes).ToArray();
            return dim.FirstOrDefault(d => d.Number == 2) is { Number: 2 } param
                ? OnnxDim.Named(Encoding.UTF8.GetString(param.Bytes.Span))
                : OnnxDim.Of(dim.Where(d => d.Number == 1).Select(d => (long)d.Varint).FirstOrDefault());
        }).ToArray();
        return new OnnxValueInfo(name, elementType, dims, ShapeKnown: tensorFields.Any(f => f.Number == 2));
    }

    private static string[] Strings(IEnumerable<Field> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => Encoding.UTF8.GetString(f.Bytes.Span)).ToArray();

    private static string Text(IEnumerable<Field> fields, int number) => Strings(fields, number).FirstOrDefault() ?? "";

    /// <summary>A repeated int64 field: one varint, or a packed run of them.</summary>
    private static IEnumerable<long> Int64s(Field field)
    {
        if (field.WireType == 0)
        {
            yield return (long)field.Varint;
            yield break;
        }

        var position = 0;
        while (position < field.Bytes.Length)
        {
            yield return (long)ReadVarint(field.Bytes.Span, ref position);
        }
    }

    private readonly record struct Field(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Bytes);

    private static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    yield return new Field(number, wireType, ReadVarint(message.Span, ref position), default);
                    break;
                case 1:
                    yield return new Field(number, wireType, BinaryPrimitives.ReadUInt64LittleEndian(message.Span[position..]), default);
                    position += 8;
                    break;
                case 2:
                    var length = checked((int)ReadVarint(message.Span, ref position));
                    yield return new Field(number, wireType, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, wireType, BinaryPrimitives.ReadUInt32LittleEndian(message.Span[position..]), default);
                    position += 4;
                    break;
                default:
                    throw new InvalidOperationException($"unknown protobuf wire type {wireType} at byte {position}");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidOperationException($"a varint ending at byte {position} is longer than 10 bytes");
    }
}
