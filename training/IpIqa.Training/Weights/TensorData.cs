using System.Runtime.InteropServices;

namespace IpIqa.Training.Weights;

/// <summary>Fills a freshly allocated float tensor in place.</summary>
public delegate void FloatFiller(Span<float> destination);

/// <summary>
/// A dense, row-major, little-endian tensor. The bytes are referenced, not copied, so tensors
/// read from one checkpoint buffer share that buffer.
/// </summary>
public sealed class TensorData
{
    public TensorData(TensorElementType elementType, IReadOnlyList<long> shape, ReadOnlyMemory<byte> bytes)
    {
        ElementType = elementType;
        Shape = shape.ToArray();
        ElementCount = Shape.Aggregate(1L, (product, dim) => dim >= 0
            ? checked(product * dim)
            : throw new ArgumentException($"Tensor shape {FormatShape(Shape)} has a negative dimension.", nameof(shape)));
        var expected = ElementCount * ElementSize(elementType);
        if (bytes.Length != expected)
        {
            throw new ArgumentException(
                $"Tensor of shape {FormatShape(Shape)} and type {elementType} needs {expected} bytes, got {bytes.Length}.", nameof(bytes));
        }

        Bytes = bytes;
    }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape { get; }

    public long ElementCount { get; }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The values of a float32 tensor, without a copy.</summary>
    public ReadOnlySpan<float> Floats => ElementType == TensorElementType.Float32
        ? MemoryMarshal.Cast<byte, float>(Bytes.Span)
        : throw new InvalidOperationException($"Tensor is {ElementType}, not Float32.");

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

    public static TensorData FromFloats(ReadOnlySpan<float> values, params long[] shape) =>
        new(TensorElementType.Float32, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static TensorData FromInt64s(ReadOnlySpan<long> values, params long[] shape) =>
        new(TensorElementType.Int64, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static int ElementSize(TensorElementType type) => type switch
    {
        TensorElementType.Float32 => sizeof(float),
        TensorElementType.Int64 => sizeof(long),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    public static string FormatShape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
