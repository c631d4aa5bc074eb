using System.Runtime.InteropServices;
using IpIqa.Core.Errors;
using IpIqa.Imaging.Native;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// PNG through libspng, with Pillow's <c>convert("RGB")</c> pixels: palettes looked up (an index past
/// the PLTE entries shows Pillow's grey ramp), grey replicated,
/// 16-bit colour cut to its high byte, alpha and tRNS ignored (not composited), no gamma, sBIT or ICC
/// applied. 16-bit grey opens in Pillow as mode I, whose RGB conversion clamps at 255, so it is
/// decoded raw and clamped the same way. A critical chunk with a bad CRC fails (as in ImageSharp);
/// an ancillary one is skipped.
/// </summary>
internal static class LibSpngDecoder
{
    public const string Name = "libspng";

    /// <summary>What ancillary chunks (text, ICC profile, EXIF) may hold in memory once inflated.</summary>
    private const int ChunkCacheBytes = 8 * 1024 * 1024;

    private const byte ColorTypeGrey = 0;
    private const byte ColorTypePalette = 3;

    /// <summary>False when libspng refuses the chunks before the image data: ImageSharp then reads and judges the file.</summary>
    public static unsafe bool TryReadSize(ReadOnlySpan<byte> data, long maxPixels, out int width, out int height)
    {
        width = height = 0;
        fixed (byte* p = data)
        {
            var ctx = Open(p, data.Length, maxPixels);
            try
            {
                if (LibSpngNative.GetIhdr(ctx, out var ihdr) != 0 || ihdr.Width > int.MaxValue || ihdr.Height > int.MaxValue)
                {
                    return false;
                }

                (width, height) = ((int)ihdr.Width, (int)ihdr.Height);
                return true;
            }
            finally
            {
                LibSpngNative.CtxFree(ctx);
            }
        }
    }

    /// <summary>
    /// True when libspng reads every chunk before the image data without an error (text, ICC profile,
    /// EXIF and the rest are validated as its decode would), so a faster decoder may take the file.
    /// </summary>
    public static unsafe bool AcceptsChunksBeforeImageData(ReadOnlySpan<byte> data, long maxPixels)
    {
        fixed (byte* p = data)
        {
            var ctx = Open(p, data.Length, maxPixels);
            try
            {
                var rc = LibSpngNative.GetGama(ctx, out _);
                return rc is 0 or LibSpngNative.ErrorChunkUnavailable;
            }
            finally
            {
                LibSpngNative.CtxFree(ctx);
            }
        }
    }

    /// <summary>Decodes to RGBX; the PNG's alpha, where it has one, lands in the unused byte and is ignored.</summary>
    public static unsafe RgbxImage Decode(ReadOnlySpan<byte> data, int width, int height, long maxPixels)
    {
        fixed (byte* p = data)
        {
            var ctx = Open(p, data.Length, maxPixels);
            RgbxImage? image = null;
            try
            {
                Check(LibSpngNative.GetIhdr(ctx, out var ihdr));
                if (ihdr.Width != (uint)width || ihdr.Height != (uint)height)
                {
                    throw new IpIqaException(ErrorCodes.ImageUndecodable, $"The PNG header changed between reads ({ihdr.Width}×{ihdr.Height}, expected {width}×{height}).");
                }

                if (ihdr.ColorType == ColorTypePalette)
                {
                    PadPalette(ctx, ihdr.BitDepth);
                }

                image = new RgbxImage(width, height);
                if (ihdr is { ColorType: ColorTypeGrey, BitDepth: 16 })
                {
                    DecodeGrey16(ctx, image);
                }
                else
                {
                    fixed (byte* dst = image.Buffer)
                    {
                        Check(LibSpngNative.DecodeImage(ctx, dst, (nuint)image.Pixels.Length, LibSpngNative.FormatRgba8, 0));
                    }
                }

                return image;
            }
            catch
            {
                image?.Dispose();
                throw;
            }
            finally
            {
                LibSpngNative.CtxFree(ctx);
            }
        }
    }

    private static unsafe nint Open(byte* data, int length, long maxPixels)
    {
        var ctx = LibSpngNative.CtxNew(0);
        if (ctx == 0)
        {
            throw new IpIqaException(ErrorCodes.InternalError, "libspng could not create a decoder context.");
        }

        // No side may exceed the pixel cap (libspng's own limit is 2^31 - 1); the caller checks the area.
        var side = (uint)Math.Clamp(maxPixels, 1, int.MaxValue);
        var rc = LibSpngNative.SetPngBuffer(ctx, data, (nuint)length);
        rc = rc != 0 ? rc : LibSpngNative.SetImageLimits(ctx, side, side);
        rc = rc != 0 ? rc : LibSpngNative.SetChunkLimits(ctx, (nuint)length, ChunkCacheBytes);
        rc = rc != 0 ? rc : LibSpngNative.SetCrcAction(ctx, LibSpngNative.CrcError, LibSpngNative.CrcDiscard);
        if (rc != 0)
        {
            LibSpngNative.CtxFree(ctx);
            throw new IpIqaException(ErrorCodes.InternalError, $"libspng refused its settings: {LibSpngNative.Message(rc)}");
        }

        return ctx;
    }

    /// <summary>
    /// Pillow's palette starts as a grey ramp that PLTE overwrites, so an index past the file's entries
    /// shows (i, i, i); libspng would show black. The missing entries are filled in the same way.
    /// </summary>
    private static unsafe void PadPalette(nint ctx, byte bitDepth)
    {
        LibSpngNative.Plte plte;
        Check(LibSpngNative.GetPlte(ctx, &plte));
        var size = 1u << Math.Min((int)bitDepth, 8);
        if (plte.Count >= size)
        {
            return;
        }

        for (var i = plte.Count; i < size; i++)
        {
            plte.Entries[i * 4] = plte.Entries[(i * 4) + 1] = plte.Entries[(i * 4) + 2] = (byte)i;
            plte.Entries[(i * 4) + 3] = 255;
        }

        plte.Count = size;
        Check(LibSpngNative.SetPlte(ctx, &plte));
    }

    /// <summary>Pillow's <c>I</c> → <c>RGB</c>: each 16-bit grey value clamped to 255, not scaled.</summary>
    private static unsafe void DecodeGrey16(nint ctx, RgbxImage image)
    {
        Check(LibSpngNative.DecodedImageSize(ctx, LibSpngNative.FormatPng, out var length));
        var pixels = (long)image.Width * image.Height;
        if (length != (nuint)(pixels * 2))
        {
            throw new IpIqaException(ErrorCodes.InternalError, $"libspng sizes a {image.Width}×{image.Height} 16-bit grey image at {length} bytes.");
        }

        var grey = (ushort*)NativeMemory.Alloc(length);
        try
        {
            Check(LibSpngNative.DecodeImage(ctx, (byte*)grey, length, LibSpngNative.FormatPng, 0));
            var rgbx = image.Pixels;
            for (var i = 0; i < pixels; i++)
            {
                var v = (byte)Math.Min(grey[i], (ushort)255);
                rgbx[(i * 4) + 0] = v;
                rgbx[(i * 4) + 1] = v;
                rgbx[(i * 4) + 2] = v;
            }
        }
        finally
        {
            NativeMemory.Free(grey);
        }
    }

    private static void Check(int rc)
    {
        if (rc == 0)
        {
            return;
        }

        var message = LibSpngNative.Message(rc);
        throw rc is LibSpngNative.ErrorIdatTooShort or LibSpngNative.ErrorEof
            ? new IpIqaException(ErrorCodes.ImageTruncated, $"PNG IDAT data ends before the rows its header declares ({message}): the file is truncated")
            : new IpIqaException(ErrorCodes.ImageUndecodable, $"The PNG data is corrupt: {message}");
    }
}
