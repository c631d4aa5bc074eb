using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Native;

/// <summary>The parts of libjpeg-turbo's TurboJPEG 2.x API the JPEG decoder uses.</summary>
internal static partial class TurboJpegNative
{
    public const string Library = "libturbojpeg.so.0";

    public const int PixelFormatRgbx = 2;
    public const int ColorspaceCmyk = 3;
    public const int ColorspaceYcck = 4;
    public const int ErrorWarning = 0;

    /// <summary>Integer (ISLOW) IDCT, the libjpeg default the reference decodes with.</summary>
    public const int FlagAccurateDct = 4096;

    /// <summary>Refuse progressive files with an absurd number of scans.</summary>
    public const int FlagLimitScans = 32768;

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    public static partial nint InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    public static partial int Destroy(nint handle);

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    public static unsafe partial int DecompressHeader(nint handle, byte* jpeg, nuint size, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    public static unsafe partial int Decompress(nint handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    public static partial nint GetErrorString(nint handle);

    [LibraryImport(Library, EntryPoint = "tjGetErrorCode")]
    public static partial int GetErrorCode(nint handle);

    public static string LastError(nint handle) => Marshal.PtrToStringUTF8(GetErrorString(handle)) ?? "unknown TurboJPEG error";
}
