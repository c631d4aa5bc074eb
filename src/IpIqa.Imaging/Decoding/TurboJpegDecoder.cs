using IpIqa.Core.Errors;
using IpIqa.Imaging.Native;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// JPEG through libjpeg-turbo's TurboJPEG API: integer IDCT and fancy upsampling, the libjpeg defaults
/// the reference decodes with, so pixels match it exactly. CMYK and YCCK files are left to ImageSharp.
/// </summary>
internal static class TurboJpegDecoder
{
    public const string Name = "turbojpeg";

    /// <summary>False when the file is CMYK/YCCK (another decoder must take it).</summary>
    public static unsafe bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        var handle = TurboJpegNative.InitDecompress();
        if (handle == 0)
        {
            throw new IpIqaException(ErrorCodes.InternalError, "TurboJPEG could not create a decompressor.");
        }

        try
        {
            fixed (byte* p = data)
            {
                if (TurboJpegNative.DecompressHeader(handle, p, (nuint)data.Length, out width, out height, out _, out var colorspace) != 0)
                {
                    throw new IpIqaException(ErrorCodes.ImageUndecodable, $"The JPEG header is corrupt: {TurboJpegNative.LastError(handle)}");
                }

                return colorspace is not (TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck);
            }
        }
        finally
        {
            _ = TurboJpegNative.Destroy(handle);
        }
    }

    /// <summary>Decodes to RGBX. Recoverable libjpeg warnings (corrupt entropy data) keep the decoded pixels, as the reference does.</summary>
    public static unsafe RgbxImage Decode(ReadOnlySpan<byte> data, int width, int height)
    {
        var handle = TurboJpegNative.InitDecompress();
        if (handle == 0)
        {
            throw new IpIqaException(ErrorCodes.InternalError, "TurboJPEG could not create a decompressor.");
        }

        var image = new RgbxImage(width, height);
        try
        {
            fixed (byte* p = data)
            fixed (byte* dst = image.Buffer)
            {
                const int flags = TurboJpegNative.FlagAccurateDct | TurboJpegNative.FlagLimitScans;
                var rc = TurboJpegNative.Decompress(handle, p, (nuint)data.Length, dst, width, image.Stride, height, TurboJpegNative.PixelFormatRgbx, flags);
                if (rc != 0 && TurboJpegNative.GetErrorCode(handle) != TurboJpegNative.ErrorWarning)
                {
                    throw new IpIqaException(ErrorCodes.ImageUndecodable, $"The JPEG data is corrupt: {TurboJpegNative.LastError(handle)}");
                }
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
        finally
        {
            _ = TurboJpegNative.Destroy(handle);
        }
    }
}
