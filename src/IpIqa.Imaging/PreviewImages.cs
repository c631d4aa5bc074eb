using IpIqa.Imaging.Decoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging;

/// <summary>
/// Decodes images for pictures of them (an attention overlay, a report's thumbnails) through the scorer's own
/// checks and decoders: the byte and pixel caps, the truncation checks, the first frame only and a budget of
/// pixels in flight. Such an image is read again after it was scored and may be other bytes by then; a general
/// image library would decode every frame of an animation at the full canvas size, with no cap.
/// </summary>
public static class PreviewImages
{
    private static readonly Lazy<ImagePreprocessor> Decoder = new(() => ImagePreprocessor.Quiet(new ImagingOptions()));

    /// <summary>The image fitted to <paramref name="maxSide"/> pixels (scaled up or down, aspect kept), as 8-bit RGB.</summary>
    /// <exception cref="Core.Errors.IpIqaException">The image breaks a limit or cannot be decoded; the code says which.</exception>
    public static Image<Rgb24> Load(ReadOnlySpan<byte> encoded, int maxSide)
    {
        using var fitted = Decoder.Value.DecodeFitted(encoded, maxSide);
        var image = new Image<Rgb24>(fitted.Width, fitted.Height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var source = fitted.Row(y);
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24(source[x * 4], source[(x * 4) + 1], source[(x * 4) + 2]);
                }
            }
        });
        return image;
    }
}
