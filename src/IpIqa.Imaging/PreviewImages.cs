using IpIqa.Imaging.Decoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging;

/// <summary>
/// Decodes images for pictures of them (an attention overlay, a report's thumbnails) through the scorer's own
/// checks and decoders: the byte and pixel caps, the truncation checks, the first frame only and a budget of
/// pixels in flight. Such an image is read again after it was scored and may be other bytes by then; a general
/// image library would decode every frame of an animation at the full canvas size, with no cap. The decode goes
/// through the scorer's own preprocessor when the caller has it, so the operator's caps (<c>IpIqa:Preprocessing</c>,
/// raised or lowered) and the process's one pixel budget apply; before, a second preprocessor with the default caps
/// and a budget of its own decoded every picture.
/// </summary>
public static class PreviewImages
{
    private static readonly Lazy<ImagePreprocessor> Defaults = new(() => ImagePreprocessor.Quiet(new ImagingOptions()));

    /// <summary>The image fitted to <paramref name="maxSide"/> pixels (scaled up or down, aspect kept), as 8-bit RGB.</summary>
    /// <param name="decoder">The scorer's preprocessor; null: one with the default <see cref="ImagingOptions"/> (a host that configures none).</param>
    /// <exception cref="Core.Errors.IpIqaException">The image breaks a limit or cannot be decoded; the code says which.</exception>
    public static Image<Rgb24> Load(ReadOnlySpan<byte> encoded, int maxSide, ImagePreprocessor? decoder = null)
    {
        using var fitted = (decoder ?? Defaults.Value).DecodeFitted(encoded, maxSide);
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
