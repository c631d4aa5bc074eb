using System.Buffers;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// An 8-bit RGB image stored four bytes a pixel (R, G, B, unused), rows packed, in a pooled buffer.
/// The buffer has <see cref="Padding"/> spare bytes after the last pixel so vector loops may read past it.
/// </summary>
internal sealed class RgbxImage : IDisposable
{
    public const int Padding = 64;

    private byte[]? _buffer;

    public RgbxImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        _buffer = ArrayPool<byte>.Shared.Rent(checked(width * height * 4) + Padding);
        _buffer.AsSpan(width * height * 4, Padding).Clear();
    }

    public int Width { get; }

    public int Height { get; }

    public int Stride => Width * 4;

    /// <summary>The pixels plus the padding.</summary>
    public byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(RgbxImage));

    public Span<byte> Pixels => Buffer.AsSpan(0, Width * Height * 4);

    public Span<byte> Row(int y) => Buffer.AsSpan(y * Stride, Stride);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
