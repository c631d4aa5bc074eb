using IpIqa.Imaging.Native;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// Still WebP through libwebp (the library the reference uses). Animated or otherwise unusual files
/// make it return null so ImageSharp takes them.
/// </summary>
internal static class LibWebpDecoder
{
    public const string Name = "libwebp";

    public static unsafe bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        fixed (byte* p = data)
        {
            return LibWebpNative.GetInfo(p, (nuint)data.Length, out width, out height) != 0 && width > 0 && height > 0;
        }
    }

    /// <summary>Decodes to RGBA; the alpha byte sits where RGBX keeps its unused byte and is ignored.</summary>
    public static unsafe RgbxImage? TryDecode(ReadOnlySpan<byte> data, int width, int height)
    {
        var image = new RgbxImage(width, height);
        fixed (byte* p = data)
        fixed (byte* dst = image.Buffer)
        {
            var size = (nuint)image.Pixels.Length;
            if (LibWebpNative.DecodeRgbaInto(p, (nuint)data.Length, dst, size, image.Stride) is not null)
            {
                return image;
            }
        }

        image.Dispose();
        return null;
    }
}
