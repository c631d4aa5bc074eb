using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Native;

/// <summary>
/// The four functions of libdeflate (1.x, Debian/Ubuntu <c>libdeflate0</c>, MIT) the PNG fast path
/// uses: one-shot zlib decompression into a buffer of known size, about twice zlib's inflate speed,
/// and its CRC-32. Bound by hand like libspng: no .NET wrapper uses the distribution's library.
/// </summary>
internal static partial class LibDeflateNative
{
    public const string Library = "libdeflate.so.0";

    /// <summary><c>LIBDEFLATE_SUCCESS</c>; every other result (bad data, short output, no space) means "not this path".</summary>
    public const int Success = 0;

    [LibraryImport(Library, EntryPoint = "libdeflate_alloc_decompressor")]
    public static partial nint AllocDecompressor();

    [LibraryImport(Library, EntryPoint = "libdeflate_free_decompressor")]
    public static partial void FreeDecompressor(nint decompressor);

    /// <summary>Inflates a whole zlib stream (its Adler-32 checked); reports the bytes read and written.</summary>
    [LibraryImport(Library, EntryPoint = "libdeflate_zlib_decompress_ex")]
    public static unsafe partial int ZlibDecompress(nint decompressor, byte* input, nuint inputLength, byte* output, nuint outputLength, out nuint read, out nuint written);

    /// <summary>CRC-32 (PNG's polynomial) of <paramref name="length"/> bytes, continuing from <paramref name="crc"/> (0 to start).</summary>
    [LibraryImport(Library, EntryPoint = "libdeflate_crc32")]
    public static unsafe partial uint Crc32(uint crc, byte* data, nuint length);
}
