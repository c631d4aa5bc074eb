using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Native;

/// <summary>Whether the native codec libraries can be loaded on this machine (probed once).</summary>
internal static class NativeCodecs
{
    private static readonly Lazy<bool> TurboJpegLoads = new(() => Probe(TurboJpegNative.Library, "tjDecompress2"));
    private static readonly Lazy<bool> LibWebpLoads = new(() => Probe(LibWebpNative.Library, "WebPDecodeRGBAInto"));
    private static readonly Lazy<bool> LibSpngLoads = new(() => Probe(LibSpngNative.Library, "spng_decode_image"));
    private static readonly Lazy<bool> LibDeflateLoads = new(() => Probe(LibDeflateNative.Library, "libdeflate_zlib_decompress_ex"));

    public static bool TurboJpegAvailable => TurboJpegLoads.Value;

    public static bool LibWebpAvailable => LibWebpLoads.Value;

    public static bool LibSpngAvailable => LibSpngLoads.Value;

    /// <summary>libdeflate, for the 8-bit RGB/RGBA PNG fast path (<see cref="Decoding.PngFastPath"/>).</summary>
    public static bool LibDeflateAvailable => LibDeflateLoads.Value;

    private static bool Probe(string library, string export)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        return NativeLibrary.TryGetExport(handle, export, out _);
    }
}
