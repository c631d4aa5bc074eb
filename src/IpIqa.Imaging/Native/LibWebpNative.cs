using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Native;

/// <summary>The parts of libwebp's simple decoding API the WebP decoder uses.</summary>
internal static partial class LibWebpNative
{
    public const string Library = "libwebp.so.7";

    [LibraryImport(Library, EntryPoint = "WebPGetInfo")]
    public static unsafe partial int GetInfo(byte* data, nuint size, out int width, out int height);

    [LibraryImport(Library, EntryPoint = "WebPDecodeRGBAInto")]
    public static unsafe partial byte* DecodeRgbaInto(byte* data, nuint size, byte* output, nuint outputSize, int stride);
}
