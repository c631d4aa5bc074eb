using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// An 8-bit RGB image stored four bytes a pixel (R, G, B, unused), rows packed, in native memory.
/// The buffer has <see cref="Padding"/> spare bytes after the last pixel so vector loops may read past it.
/// <para>
/// The memory is freed on <see cref="Dispose"/>, so a large frame goes back to the operating system at
/// once: a pooled or garbage-collected array would keep the process at its peak while it idles.
/// </para>
/// </summary>
internal sealed unsafe class RgbxImage : IDisposable
{
    public const int Padding = 64;

    private static long _outstandingBytes;
    private nint _buffer;

    /// <param name="extraBytes">Scratch room between the pixels and the padding (a decoder's input may need it).</param>
    public RgbxImage(int width, int height, int extraBytes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Length = checked((width * height * 4) + extraBytes + Padding);
        _buffer = (nint)NativeMemory.Alloc((nuint)Length);
        Interlocked.Add(ref _outstandingBytes, Length);
        Buffer[^Padding..].Clear();
    }

    /// <summary>Bytes held by every undisposed image of the process.</summary>
    public static long OutstandingBytes => Interlocked.Read(ref _outstandingBytes);

    public int Width { get; }

    public int Height { get; }

    public int Stride => Width * 4;

    /// <summary>Bytes of the buffer, padding included.</summary>
    public int Length { get; }

    /// <summary>The pixels plus the padding.</summary>
    public Span<byte> Buffer => _buffer == 0 ? throw new ObjectDisposedException(nameof(RgbxImage)) : new Span<byte>((void*)_buffer, Length);

    public Span<byte> Pixels => Buffer[..(Width * Height * 4)];

    public Span<byte> Row(int y) => Buffer.Slice(y * Stride, Stride);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~RgbxImage() => Free();

    private void Free()
    {
        var buffer = Interlocked.Exchange(ref _buffer, 0);
        if (buffer != 0)
        {
            NativeMemory.Free((void*)buffer);
            Interlocked.Add(ref _outstandingBytes, -Length);
        }
    }
}
