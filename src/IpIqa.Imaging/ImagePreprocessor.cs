using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using IpIqa.Imaging.Decoding;
using IpIqa.Imaging.Native;
using IpIqa.Imaging.Resampling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Imaging;

/// <summary>
/// The reference's evaluation preprocessing: decode, Pillow <c>convert("RGB")</c> (alpha dropped,
/// grey replicated), Pillow bicubic resize to Size×Size, /255, per-channel mean/std, CHW float32.
/// <para>
/// EXIF orientation is deliberately NOT applied: the reference opens images with PIL without
/// <c>ImageOps.exif_transpose</c>, so a rotated phone photo is scored as stored.
/// </para>
/// <para>
/// Checks run cheapest first: empty file, byte cap, signature, the format's end marker, header
/// dimensions against the pixel cap (before any pixel is decoded), compressed data long enough for
/// those dimensions, then the decode under a memory cap.
/// </para>
/// </summary>
public sealed class ImagePreprocessor : IImagePreprocessor
{
    /// <summary>Images from this size up are large enough for their freed memory to matter.</summary>
    private const long TrimAfterPixels = 1_000_000;

    private static int _loggedDecoders;

    private readonly ImageLimits _limits;
    private readonly PixelBudget _budget;
    private readonly ImageSharpDecoder _imageSharp;
    private readonly bool _turboJpeg;
    private readonly bool _libWebp;
    private readonly bool _libSpng;
    private readonly bool _libDeflate;

    public ImagePreprocessor(ImagingOptions options, ILogger<ImagePreprocessor>? logger = null)
        : this(options)
    {
        ILogger log = logger ?? NullLogger<ImagePreprocessor>.Instance;
        if (Interlocked.Exchange(ref _loggedDecoders, 1) == 0)
        {
            if (options.UseNativeCodecs && !_turboJpeg)
            {
                Log.NativeCodecMissing(log, TurboJpegNative.Library, "JPEG");
            }

            if (options.UseNativeCodecs && !_libWebp)
            {
                Log.NativeCodecMissing(log, LibWebpNative.Library, "WebP");
            }

            if (options.UseNativeCodecs && !_libSpng)
            {
                Log.NativeCodecMissing(log, LibSpngNative.Library, "PNG");
            }

            if (_libSpng && !_libDeflate)
            {
                Log.PngFastPathMissing(log, LibDeflateNative.Library);
            }

            Log.DecodersSelected(log, DecoderDescription);
        }
    }

    /// <summary>A preprocessor that logs nothing, so a second one (<see cref="PreviewImages"/>) leaves the decoder report to the scorer's.</summary>
    private ImagePreprocessor(ImagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Limits, nameof(options.Limits));
        _limits = options.Limits;
        _budget = PixelBudget.For(_limits);
        _imageSharp = new ImageSharpDecoder(_limits);
        _turboJpeg = options.UseNativeCodecs && NativeCodecs.TurboJpegAvailable;
        _libWebp = options.UseNativeCodecs && NativeCodecs.LibWebpAvailable;
        _libSpng = options.UseNativeCodecs && NativeCodecs.LibSpngAvailable;
        _libDeflate = _libSpng && NativeCodecs.LibDeflateAvailable;
    }

    /// <summary>A preprocessor with <paramref name="options"/> that logs nothing.</summary>
    internal static ImagePreprocessor Quiet(ImagingOptions options) => new(options);

    /// <summary>
    /// Which library decodes which format, e.g. <c>jpeg=turbojpeg webp=libwebp png=libspng/libdeflate other=imagesharp</c>
    /// (<c>/libdeflate</c>: 8-bit RGB/RGBA PNGs take <see cref="PngFastPath"/>).
    /// </summary>
    public string DecoderDescription =>
        $"jpeg={(_turboJpeg ? TurboJpegDecoder.Name : ImageSharpDecoder.Name)} webp={(_libWebp ? LibWebpDecoder.Name : ImageSharpDecoder.Name)} png={(_libSpng ? LibSpngDecoder.Name : ImageSharpDecoder.Name)}{(_libDeflate ? "/" + PngFastPath.Name : string.Empty)} other={ImageSharpDecoder.Name}";

    /// <summary>The decoded pixels all of this preprocessor's decodes share.</summary>
    public PixelBudget Budget => _budget;

    /// <summary>The caps every decode of this preprocessor meets, a picture's (<see cref="PreviewImages"/>) included.</summary>
    public ImageLimits Limits => _limits;

    /// <summary>Waits for the image's pixels to fit <see cref="Budget"/> after every check, so a refused file costs none.</summary>
    public void Preprocess(ReadOnlySpan<byte> encoded, PreprocessSpec spec, Span<float> destination)
    {
        ValidateSpec(spec, destination);
        var header = Inspect(encoded);
        var pixels = (long)header.Width * header.Height;
        try
        {
            using var lease = _budget.Acquire(pixels);
            using var decoded = Decode(encoded, header);
            using var resized = PillowResampler.Resize(decoded, spec.Size, spec.Size);
            TensorWriter.Write(resized, spec, destination);
        }
        finally
        {
            // The last large image out hands the C heap's free memory back, so an idle process returns to its baseline.
            if (pixels >= TrimAfterPixels && _budget.InUse == 0)
            {
                NativeHeap.Trim();
            }
        }
    }

    /// <summary>Decodes to 8-bit RGB after every limit check, outside the budget. The caller owns the result.</summary>
    internal RgbxImage Decode(ReadOnlySpan<byte> encoded) => Decode(encoded, Inspect(encoded));

    /// <summary>
    /// Decodes after every limit check, inside the budget, and resizes (bicubic, up or down) to fit
    /// <paramref name="maxSide"/> with the aspect kept. The caller owns the result.
    /// </summary>
    internal RgbxImage DecodeFitted(ReadOnlySpan<byte> encoded, int maxSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSide);
        var header = Inspect(encoded);
        using var lease = _budget.Acquire((long)header.Width * header.Height);
        using var decoded = Decode(encoded, header);
        var scale = Math.Min((double)maxSide / decoded.Width, (double)maxSide / decoded.Height);
        return PillowResampler.Resize(decoded, Fit(decoded.Width, scale), Fit(decoded.Height, scale));

        static int Fit(int side, double scale) => Math.Max(1, (int)Math.Round(side * scale));
    }

    /// <summary>Every check that needs no pixel: size, signature, end marker, dimensions against the caps, data length.</summary>
    private Header Inspect(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, "The image file is empty (0 bytes).");
        }

        if (encoded.Length > _limits.MaxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"The image file has {encoded.Length} bytes, more than the cap of {_limits.MaxBytes}.");
        }

        var format = FormatSniffer.Detect(encoded);
        if (format == EncodedFormat.Unknown)
        {
            throw new IpIqaException(ErrorCodes.ImageUnsupported, "The bytes are not an image in a supported format (PNG, JPEG, WebP, GIF, BMP, TIFF): no known signature.");
        }

        if (TruncationGuard.FindCut(format, encoded) is { } cut)
        {
            throw new IpIqaException(ErrorCodes.ImageTruncated, cut);
        }

        if (format == EncodedFormat.WebP && AnimatedWebP.IsAnimated(encoded, out var canvasWidth, out var canvasHeight))
        {
            CheckDimensions(format, canvasWidth, canvasHeight, 8);
            return new Header(format, canvasWidth, canvasHeight, Native: false, Animated: true);
        }

        var native = format switch
        {
            EncodedFormat.Jpeg when _turboJpeg => TurboJpegDecoder.TryReadSize(encoded, out var w, out var h) ? (w, h) : default((int, int)?),
            EncodedFormat.WebP when _libWebp => LibWebpDecoder.TryReadSize(encoded, out var w, out var h) ? (w, h) : default((int, int)?),
            EncodedFormat.Png when _libSpng => LibSpngDecoder.TryReadSize(encoded, _limits.MaxPixels, out var w, out var h) ? (w, h) : default((int, int)?),
            _ => null,
        };
        var (width, height) = native ?? _imageSharp.ReadSize(encoded);
        CheckDimensions(format, width, height, native is null ? 4 : NativeBytesPerPixel(format));

        // libspng fails on a short IDAT stream itself (image_truncated), so its files are not inflated twice.
        var inflatePng = !(format == EncodedFormat.Png && native is not null);
        if (TruncationGuard.FindShortData(format, encoded, inflatePng) is { } truncation)
        {
            throw new IpIqaException(ErrorCodes.ImageTruncated, truncation);
        }

        return new Header(format, width, height, native is not null, Animated: false);
    }

    private RgbxImage Decode(ReadOnlySpan<byte> encoded, Header header)
    {
        var (format, width, height, native, animated) = header;
        if (animated)
        {
            // The frame, rewrapped as a still file, passes every check again.
            return AnimatedWebP.DecodeFirstFrame(encoded, width, height, frame => Decode(frame));
        }

        if (native)
        {
            var image = format switch
            {
                EncodedFormat.Jpeg => TurboJpegDecoder.Decode(encoded, width, height),
                EncodedFormat.Png => (_libDeflate ? PngFastPath.TryDecode(encoded, width, height, _limits.MaxPixels) : null)
                    ?? LibSpngDecoder.Decode(encoded, width, height, _limits.MaxPixels),
                _ => LibWebpDecoder.TryDecode(encoded, width, height),
            };
            if (image is not null)
            {
                return image;
            }
        }

        if (format == EncodedFormat.Png && PngShortPalette.Pad(encoded) is { } padded)
        {
            return _imageSharp.Decode(padded);
        }

        return _imageSharp.Decode(encoded, format == EncodedFormat.Gif ? GifTransparentColour.Find(encoded) : null);
    }

    // Native decoders allocate outside ImageSharp's cap, so their budget is estimated from the header:
    // the RGBX output plus, for JPEG, progressive coefficient buffers (up to 2 bytes × 3 components),
    // for PNG the raw frame of 16-bit grey (2 bytes) and libspng's rows.
    private static int NativeBytesPerPixel(EncodedFormat format) => format == EncodedFormat.Jpeg ? 10 : 8;

    private void CheckDimensions(EncodedFormat format, int width, int height, int bytesPerPixel)
    {
        if (width <= 0 || height <= 0)
        {
            throw new IpIqaException(ErrorCodes.ImageUndecodable, $"The {format} header declares {width}×{height} pixels.");
        }

        var pixels = (long)width * height;
        if (pixels > _limits.MaxPixels)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"The {format} header declares {width}×{height} = {pixels} pixels, more than the cap of {_limits.MaxPixels}.");
        }

        if (pixels > _budget.Capacity)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"The {format} header declares {width}×{height} = {pixels} pixels, more than all images in flight may hold together ({_budget.Capacity}, IpIqa:Preprocessing:MaxPixelsInFlight).");
        }

        var bytes = (pixels * bytesPerPixel) + RgbxImage.Padding;
        if (bytes > (long)_limits.MaxDecoderMemoryMegabytes * 1024 * 1024 || (pixels * 4) + RgbxImage.Padding > Array.MaxLength)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"A {width}×{height} image needs {bytes / (1024 * 1024)} MB to decode, more than the cap of {_limits.MaxDecoderMemoryMegabytes} MB.");
        }
    }

    private static void ValidateSpec(PreprocessSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Size <= 0 || spec.Size > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Size, "PreprocessSpec.Size must be between 1 and 8192.");
        }

        if (spec.Mean.Count != 3 || spec.Std.Count != 3 || spec.Std.Any(s => s == 0 || !float.IsFinite(s)))
        {
            throw new ArgumentException($"PreprocessSpec needs 3 means and 3 finite non-zero stds; got {spec.Mean.Count} and {spec.Std.Count}.", nameof(spec));
        }

        if (destination.Length < spec.TensorLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; the spec needs {spec.TensorLength} (3×{spec.Size}×{spec.Size}).", nameof(destination));
        }
    }

    private readonly record struct Header(EncodedFormat Format, int Width, int Height, bool Native, bool Animated);
}
