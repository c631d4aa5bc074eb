using System.Runtime.InteropServices;

namespace IpIqa.Training.Weights;

/// <summary>
/// A dense, row-major, little-endian tensor. The bytes are referenced, not copied, so tensors
/// read from one checkpoint buffer share that buffer.
/// </summary>
public sealed class TensorData
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly float[]? _floats;

    public TensorData(TensorElementType elementType, IReadOnlyList<long> shape, ReadOnlyMemory<byte> bytes)
        : this(elementType, shape, bytes.Length)
    {
        _bytes = bytes;
    }

    private TensorData(float[] values, IReadOnlyList<long> shape)
        : this(TensorElementType.Float32, shape, (long)values.Length * sizeof(float))
    {
        _floats = values;
    }

    private TensorData(TensorElementType elementType, IReadOnlyList<long> shape, long byteCount)
    {
        ElementType = elementType;
        Shape = shape.ToArray();
        ElementCount = Shape.Aggregate(1L, (product, dim) => dim >= 0
            ? checked(product * dim)
            : throw new ArgumentException($"Tensor shape {FormatShape(Shape)} has a negative dimension.", nameof(shape)));
        var expected = ElementCount * ElementSize(elementType);
        if (byteCount != expected)
        {
            throw new ArgumentException(
                $"Tensor of shape {FormatShape(Shape)} and type {elementType} needs {expected} bytes, got {byteCount}.", nameof(shape));
        }

        ByteCount = byteCount;
    }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape { get; }

    public long ElementCount { get; }

    public long ByteCount { get; }

    /// <summary>The raw little-endian bytes, without a copy.</summary>
    public ReadOnlySpan<byte> Bytes => _floats is not null ? MemoryMarshal.AsBytes(_floats.AsSpan()) : _bytes.Span;

    /// <summary>The values of a float32 tensor, without a copy.</summary>
    public ReadOnlySpan<float> Floats => ElementType == TensorElementType.Float32
        ? (_floats ?? MemoryMarshal.Cast<byte, float>(_bytes.Span))
        : throw new InvalidOperationException($"Tensor is {ElementType}, not Float32.");

    /// <summary>The values of a float16 tensor, without a copy.</summary>
    public ReadOnlySpan<Half> Halves => ElementType == TensorElementType.Float16
        ? MemoryMarshal.Cast<byte, Half>(_bytes.Span)
        : throw new InvalidOperationException($"Tensor is {ElementType}, not Float16.");

    public string ShapeText => FormatShape(Shape);

    /// <summary>Allocates a float32 tensor and lets <paramref name="fill"/> write its values.</summary>
    public static TensorData CreateFloats(IReadOnlyList<long> shape, FloatFiller fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var count = shape.Aggregate(1L, (product, dim) => checked(product * dim));
        var bytes = new byte[checked(count * sizeof(float))];
        fill(MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        return new TensorData(TensorElementType.Float32, shape, bytes);
    }

    /// <summary>Wraps <paramref name="values"/> without a copy; the array must not change until the export is written.</summary>
    public static TensorData WrapFloats(float[] values, params long[] shape) => new(values, shape);

    public static TensorData FromFloats(ReadOnlySpan<float> values, params long[] shape) =>
        new(TensorElementType.Float32, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static TensorData FromInt64s(ReadOnlySpan<long> values, params long[] shape) =>
        new(TensorElementType.Int64, shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>
    /// A float16 copy of this float32 tensor, each value rounded to the nearest float16 (ties to even,
    /// as <see cref="Half"/>'s conversion does). Values below float16's smallest subnormal become ±0.
    /// </summary>
    /// <exception cref="InvalidDataException">A finite value lies beyond float16's range (±65504); the message names <paramref name="what"/> and the value.</exception>
    public TensorData ToFloat16(string what)
    {
        var source = Floats;
        var bytes = new byte[checked(ElementCount * sizeof(ushort))];
        var destination = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan());
        for (var i = 0; i < source.Length; i++)
        {
            var half = (Half)source[i];
            if (Half.IsInfinity(half) && float.IsFinite(source[i]))
            {
                throw new InvalidDataException(
                    $"{what}: value {source[i]:G9} at index {i} lies beyond the float16 range (±65504); export it in fp32.");
            }

            destination[i] = half;
        }

        return new TensorData(TensorElementType.Float16, Shape, bytes);
    }

    public static int ElementSize(TensorElementType type) => type switch
    {
        TensorElementType.Float32 => sizeof(float),
        TensorElementType.Float16 => sizeof(ushort),
        TensorElementType.Int64 => sizeof(long),
        TensorElementType.UInt8 or TensorElementType.Int8 => 1,
        TensorElementType.Int32 => sizeof(int),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    public static string FormatShape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
