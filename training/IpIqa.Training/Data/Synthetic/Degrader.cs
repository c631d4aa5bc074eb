using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// Applies <see cref="QualityControls"/> in a fixed order, as a capture-and-delivery chain would:
/// downscale-upscale, blur, noise, posterise, then JPEG compression last.
/// </summary>
public static class Degrader
{
    /// <summary>Sizes are relative to this one: a blur sigma of 1 px at 64 px is 2 px at 128 px.</summary>
    public const int ReferenceSize = 64;

    /// <summary>Returns the degraded image. The input is consumed: it is either returned, modified, or disposed.</summary>
    public static Image<Rgb24> Apply(Image<Rgb24> image, QualityControls controls, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(controls);
        ArgumentNullException.ThrowIfNull(random);
        var (width, height) = (image.Width, image.Height);
        if (controls.DownscaleFactor > 1)
        {
            var small = new Size(Math.Max(1, (int)Math.Round(width / controls.DownscaleFactor)), Math.Max(1, (int)Math.Round(height / controls.DownscaleFactor)));
            image.Mutate(x => x.Resize(small, KnownResamplers.Triangle, compand: false).Resize(new Size(width, height), KnownResamplers.Bicubic, compand: false));
        }

        if (controls.BlurSigma > 0)
        {
            var sigma = (float)(controls.BlurSigma * width / ReferenceSize);
            image.Mutate(x => x.GaussianBlur(sigma));
        }

        if (controls.NoiseSigma > 0 || controls.PosterizeLevels is not null)
        {
            PerPixel(image, controls, random);
        }

        if (controls.JpegQuality is { } quality)
        {
            using var buffer = new MemoryStream();
            image.SaveAsJpeg(buffer, new JpegEncoder { Quality = Math.Clamp(quality, 1, 100) });
            buffer.Position = 0;
            var decoded = Image.Load<Rgb24>(buffer);
            image.Dispose();
            return decoded;
        }

        return image;
    }

    private static void PerPixel(Image<Rgb24> image, QualityControls controls, Random random)
    {
        var step = controls.PosterizeLevels is { } levels ? 255.0 / (Math.Clamp(levels, 2, 255) - 1) : 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                image[x, y] = new Rgb24(Channel(p.R), Channel(p.G), Channel(p.B));
            }
        }

        byte Channel(byte value)
        {
            double v = value;
            if (controls.NoiseSigma > 0)
            {
                v += controls.NoiseSigma * RaterPanel.Gaussian(random);
            }

            if (step > 0)
            {
                v = Math.Round(Math.Clamp(v, 0, 255) / step) * step;
            }

            return (byte)Math.Clamp(Math.Round(v), 0, 255);
        }
    }
}
