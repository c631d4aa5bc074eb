using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Native;

/// <summary>
/// The parts of libspng 0.7's decoding API the PNG decoder uses. Bound by hand with LibraryImport
/// (no wrapper package): the decoder needs ten functions, and the NuGet wrappers of libspng either
/// bundle their own native build (a second copy beside the distribution's, outside apt's security
/// updates) or do not exist for .NET. Values are from spng.h of libspng 0.7.
/// </summary>
internal static partial class LibSpngNative
{
    public const string Library = "libspng.so.0";

    /// <summary>8-bit RGBA, host order; 16-bit samples keep their high byte, palettes are looked up.</summary>
    public const int FormatRgba8 = 1;

    /// <summary>The file's own sample layout (deinterlaced), 16-bit samples in host byte order.</summary>
    public const int FormatPng = 256;

    /// <summary><c>SPNG_CRC_ERROR</c>: a bad checksum fails the decode.</summary>
    public const int CrcError = 0;

    /// <summary><c>SPNG_CRC_DISCARD</c>: an ancillary chunk with a bad checksum is skipped.</summary>
    public const int CrcDiscard = 1;

    public const int ErrorIdatTooShort = 62;
    public const int ErrorEof = 68;

    /// <summary><c>SPNG_ECHUNKAVAIL</c>: the file has no such chunk (not an error of the file).</summary>
    public const int ErrorChunkUnavailable = 73;

    [StructLayout(LayoutKind.Sequential)]
    public struct Ihdr
    {
        public uint Width;
        public uint Height;
        public byte BitDepth;
        public byte ColorType;
        public byte CompressionMethod;
        public byte FilterMethod;
        public byte InterlaceMethod;
    }

    /// <summary><c>struct spng_plte</c>: the entry count, then 256 entries of red, green, blue and alpha.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Plte
    {
        public uint Count;
        public fixed byte Entries[256 * 4];
    }

    [LibraryImport(Library, EntryPoint = "spng_ctx_new")]
    public static partial nint CtxNew(int flags);

    [LibraryImport(Library, EntryPoint = "spng_ctx_free")]
    public static partial void CtxFree(nint ctx);

    [LibraryImport(Library, EntryPoint = "spng_set_png_buffer")]
    public static unsafe partial int SetPngBuffer(nint ctx, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "spng_set_image_limits")]
    public static partial int SetImageLimits(nint ctx, uint width, uint height);

    [LibraryImport(Library, EntryPoint = "spng_set_chunk_limits")]
    public static partial int SetChunkLimits(nint ctx, nuint chunkSize, nuint cacheSize);

    [LibraryImport(Library, EntryPoint = "spng_set_crc_action")]
    public static partial int SetCrcAction(nint ctx, int critical, int ancillary);

    [LibraryImport(Library, EntryPoint = "spng_get_ihdr")]
    public static partial int GetIhdr(nint ctx, out Ihdr ihdr);

    [LibraryImport(Library, EntryPoint = "spng_get_plte")]
    public static unsafe partial int GetPlte(nint ctx, Plte* plte);

    [LibraryImport(Library, EntryPoint = "spng_set_plte")]
    public static unsafe partial int SetPlte(nint ctx, Plte* plte);

    /// <summary>Reads (and validates) every chunk before the first IDAT, as any <c>spng_get_*</c> does.</summary>
    [LibraryImport(Library, EntryPoint = "spng_get_gama")]
    public static partial int GetGama(nint ctx, out double gamma);

    [LibraryImport(Library, EntryPoint = "spng_decoded_image_size")]
    public static partial int DecodedImageSize(nint ctx, int format, out nuint length);

    [LibraryImport(Library, EntryPoint = "spng_decode_image")]
    public static unsafe partial int DecodeImage(nint ctx, byte* output, nuint length, int format, int flags);

    [LibraryImport(Library, EntryPoint = "spng_strerror")]
    public static partial nint StrError(int error);

    public static string Message(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"libspng error {error}";
}
