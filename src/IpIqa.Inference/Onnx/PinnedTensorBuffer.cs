using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Inference.Onnx;

/// <summary>
/// A pinned buffer sized for the largest batch, [MaxBatch, ...itemShape], with one OrtValue per
/// batch size created over it on first use and kept. Running a batch allocates nothing.
/// </summary>
internal sealed class PinnedTensorBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly T[] _data;
    private readonly OrtValue?[] _views;
    private readonly long[] _itemShape;

    public PinnedTensorBuffer(int maxBatch, params long[] itemShape)
    {
        ItemLength = checked((int)itemShape.Aggregate(1L, (a, b) => a * b));
        _data = GC.AllocateArray<T>(checked(maxBatch * ItemLength), pinned: true);
        _views = new OrtValue?[maxBatch + 1];
        _itemShape = itemShape;
    }

    /// <summary>Elements per item.</summary>
    public int ItemLength { get; }

    public int MaxBatch => _views.Length - 1;

    /// <summary>The elements of the first <paramref name="count"/> items.</summary>
    public Span<T> Span(int count) => _data.AsSpan(0, count * ItemLength);

    /// <summary>The elements of item <paramref name="index"/>.</summary>
    public Span<T> Item(int index) => _data.AsSpan(index * ItemLength, ItemLength);

    /// <summary>A tensor [count, ...itemShape] over the buffer.</summary>
    public OrtValue Value(int count)
    {
        if (count < 1 || count > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A batch holds 1 to {MaxBatch} items.");
        }

        return _views[count] ??= OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance,
            new Memory<T>(_data, 0, count * ItemLength),
            [count, .. _itemShape]);
    }

    /// <summary>
    /// A new tensor [count, ...shape] over the start of the buffer, for items smaller than the
    /// buffer's item shape (packed, not strided); the caller disposes it.
    /// </summary>
    public OrtValue Packed(int count, params long[] shape)
    {
        var length = checked(count * (int)shape.Aggregate(1L, (a, b) => a * b));
        if (count < 1 || count > MaxBatch || length > _data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A packed tensor of {length} elements does not fit {_data.Length}.");
        }

        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<T>(_data, 0, length), [count, .. shape]);
    }

    /// <summary>The first <paramref name="length"/> elements, whatever the item shape.</summary>
    public Span<T> Elements(int length) => _data.AsSpan(0, length);

    public void Dispose()
    {
        foreach (var view in _views)
        {
            view?.Dispose();
        }
    }
}
