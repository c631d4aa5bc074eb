using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// Managed decoding of every accepted format with SixLabors.ImageSharp, restricted to those six
/// formats, to the first frame of GIF and TIFF, to one thread, and to a memory cap per decode.
/// No EXIF orientation is applied, like the reference.
/// </summary>
internal sealed class ImageSharpDecoder
{
    private readonly Configuration _configuration;

    public ImageSharpDecoder(ImageLimits limits)
    {
        _configuration = new Configuration(
            new PngConfigurationModule(),
            new JpegConfigurationModule(),
            new GifConfigurationModule(),
            new BmpConfigurationModule(),
            new TiffConfigurationModule(),
            new WebpConfigurationModule())
        {
            MaxDegreeOfParallelism = 1,
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = limits.MaxDecoderMemoryMegabytes,

                // A small retained pool, trimmed by ImageSharp when idle: without one every frame is a new native
                // block whose GC.AddMemoryPressure induces gen-2 collections (#16). Frames beyond it are not pooled.
                MaximumPoolSizeMegabytes = limits.DecoderPoolMegabytes,
            }),
        };
        _configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        _configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        _configuration.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        _configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        _configuration.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
    }

    public const string Name = "imagesharp";

    /// <summary>Reads the dimensions from the header without decoding pixels.</summary>
    public unsafe (int Width, int Height) ReadSize(ReadOnlySpan<byte> data)
    {
        IImageInfo? info;
        try
        {
            fixed (byte* p = data)
            {
                using var stream = new UnmanagedMemoryStream(p, data.Length);
                info = Image.Identify(_configuration, stream, out _);
            }
        }
        catch (Exception e) when (Map(e) is { } mapped)
        {
            throw mapped;
        }

        return info is null
            ? throw new IpIqaException(ErrorCodes.ImageUnsupported, "The bytes are not an image in a supported format (PNG, JPEG, WebP, GIF, BMP, TIFF).")
            : (info.Width, info.Height);
    }

    /// <summary>Decodes to RGBX; fully transparent pixels take <paramref name="transparent"/> when it is given.</summary>
    public RgbxImage Decode(ReadOnlySpan<byte> data, (byte R, byte G, byte B)? transparent = null)
    {
        try
        {
            using var image = Image.Load(_configuration, data, out _);
            return transparent is { } colour && image is Image<Rgba32> rgba
                ? Convert(rgba, (row, rgbx) => PixelRows.FromRgba32(row, rgbx, colour))
                : ToRgbx(image);
        }
        catch (Exception e) when (Map(e) is { } mapped)
        {
            throw mapped;
        }
    }

    private static RgbxImage ToRgbx(Image image) => image switch
    {
        Image<Rgba32> i => Convert(i, PixelRows.FromRgba32),
        Image<Rgb24> i => Convert(i, PixelRows.FromRgb24),
        Image<L8> i => Convert(i, PixelRows.FromL8),
        Image<La16> i => Convert(i, PixelRows.FromLa16),
        Image<L16> i => Convert(i, PixelRows.FromL16),
        Image<La32> i => Convert(i, PixelRows.FromLa32),
        Image<Rgb48> i => Convert(i, PixelRows.FromRgb48),
        Image<Rgba64> i => Convert(i, PixelRows.FromRgba64),
        _ => ConvertOther(image),
    };

    private static RgbxImage ConvertOther(Image image)
    {
        using var rgba = image.CloneAs<Rgba32>();
        return Convert(rgba, PixelRows.FromRgba32);
    }

    private static RgbxImage Convert<TPixel>(Image<TPixel> image, RowConverter<TPixel> convert)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var output = new RgbxImage(image.Width, image.Height);
        try
        {
            image.ProcessPixelRows(accessor =>
            {
                for (var y = 0; y < accessor.Height; y++)
                {
                    convert(accessor.GetRowSpan(y), output.Row(y));
                }
            });
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    // Hostile files reach decoder corners that fail with general exceptions; they are data errors.
    private static IpIqaException? Map(Exception e) => e switch
    {
        UnknownImageFormatException => new IpIqaException(ErrorCodes.ImageUnsupported, $"The bytes are not an image in a supported format: {e.Message}", e),
        InvalidMemoryOperationException or OutOfMemoryException or InvalidImageContentException { InnerException: InvalidMemoryOperationException } => new IpIqaException(ErrorCodes.ImageTooLarge, $"Decoding needs more memory than the decoder cap allows: {e.Message}", e),
        ImageFormatException or InvalidImageContentException or NotSupportedException or InvalidDataException or IOException
            or ArgumentException or IndexOutOfRangeException or InvalidOperationException or ArithmeticException or NullReferenceException
            => new IpIqaException(ErrorCodes.ImageUndecodable, $"The image data is corrupt: {e.Message}", e),
        _ => null,
    };

    private delegate void RowConverter<TPixel>(ReadOnlySpan<TPixel> row, Span<byte> rgbx)
        where TPixel : unmanaged, IPixel<TPixel>;
}
