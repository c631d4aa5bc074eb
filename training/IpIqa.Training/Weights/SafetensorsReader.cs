using System.Buffers.Binary;
using System.Text.Json;

namespace IpIqa.Training.Weights;

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header
/// (<c>name → {dtype, shape, data_offsets}</c>), then the raw tensor bytes. The file is read into
/// one buffer; F32 and I64 tensors are views into it, F16/BF16/F64 are widened to F32.
/// </summary>
public static class SafetensorsReader
{
    private const int MaxHeaderBytes = 100 * 1024 * 1024;

    public static IReadOnlyDictionary<string, TensorData> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Weights file '{path}' does not exist.");
        }

        var length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"Weights file '{path}' is {length} bytes; files over {Array.MaxLength} bytes are not supported.");
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses a safetensors buffer; <paramref name="source"/> names it in error messages.</summary>
    public static IReadOnlyDictionary<string, TensorData> Parse(byte[] file, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < 8)
        {
            throw new InvalidDataException($"{source} is not a safetensors file: it has {file.Length} bytes, fewer than the 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || 8 + (long)headerLength > file.Length)
        {
            throw new InvalidDataException($"{source} is not a safetensors file: its header length {headerLength} does not fit in the file of {file.Length} bytes.");
        }

        var dataStart = 8 + (int)headerLength;
        var data = file.AsMemory(dataStart);
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} has an invalid safetensors JSON header: {ex.Message}", ex);
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: the safetensors header is not a JSON object.");
            }

            var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    continue;
                }

                tensors[entry.Name] = ReadTensor(entry, data, source);
            }

            return tensors;
        }
    }

    private static TensorData ReadTensor(JsonProperty entry, ReadOnlyMemory<byte> data, string source)
    {
        string dtype;
        long[] shape;
        long begin, end;
        try
        {
            dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2)
            {
                throw new InvalidDataException($"{source}: tensor '{entry.Name}' has {offsets.Length} data_offsets; expected 2.");
            }

            (begin, end) = (offsets[0], offsets[1]);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: tensor '{entry.Name}' needs dtype, shape and data_offsets ({ex.Message}).", ex);
        }

        if (begin < 0 || end < begin || end > data.Length)
        {
            throw new InvalidDataException($"{source}: tensor '{entry.Name}' has data_offsets [{begin}, {end}] outside the {data.Length} data bytes.");
        }

        var bytes = data.Slice((int)begin, (int)(end - begin));
        try
        {
            return dtype switch
            {
                "F32" => new TensorData(TensorElementType.Float32, shape, bytes),
                "I64" => new TensorData(TensorElementType.Int64, shape, bytes),
                "F16" => Widen(shape, bytes, 2, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b)),
                "BF16" => Widen(shape, bytes, 2, b => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16)),
                "F64" => Widen(shape, bytes, 8, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b)),
                _ => throw new InvalidDataException($"{source}: tensor '{entry.Name}' has dtype {dtype}; supported are F32, F16, BF16, F64 and I64."),
            };
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{source}: tensor '{entry.Name}' ({dtype}, shape {TensorData.FormatShape(shape)}): {ex.Message}", ex);
        }
    }

    private delegate float ElementReader(ReadOnlySpan<byte> element);

    private static TensorData Widen(long[] shape, ReadOnlyMemory<byte> bytes, int elementSize, ElementReader read)
    {
        var count = shape.Aggregate(1L, (product, dim) => checked(product * dim));
        if (bytes.Length != count * elementSize)
        {
            throw new ArgumentException($"needs {count * elementSize} bytes, got {bytes.Length}.");
        }

        return TensorData.CreateFloats(shape, destination =>
        {
            var source = bytes.Span;
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = read(source.Slice(i * elementSize, elementSize));
            }
        });
    }
}
