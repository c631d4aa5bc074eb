using IpIqa.Imaging;
using IpIqa.Inference.Scoring;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Inference.Explain;

/// <summary>
/// Draws an attention map over its image: the image fitted to <see cref="MaxSide"/> pixels, the map
/// upsampled bilinearly (cell centres on the feature map's grid), stretched from its lowest to its
/// highest weight, coloured blue → cyan → yellow → red and blended at <see cref="Opacity"/>.
/// </summary>
public static class AttentionOverlay
{
    public const int MaxSide = 512;

    public const float Opacity = 0.5f;

    /// <summary>The overlay of <paramref name="map"/> on the encoded image, as PNG bytes.</summary>
    /// <param name="decoder">The scorer's preprocessor, whose caps and pixel budget the decode meets; null: the default caps.</param>
    /// <exception cref="Core.Errors.IpIqaException">The image breaks a scoring limit or cannot be decoded (<see cref="PreviewImages"/>).</exception>
    public static byte[] RenderPng(byte[] encoded, AttentionMap map, ImagePreprocessor? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var image = PreviewImages.Load(encoded, MaxSide, decoder);
        var (low, high) = Range(map.Weights);
        var scale = high > low ? 1f / (high - low) : 0f;
        var width = image.Width;
        var height = image.Height;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                var gy = (((y + 0.5f) / height) * map.Grid) - 0.5f;
                for (var x = 0; x < width; x++)
                {
                    var gx = (((x + 0.5f) / width) * map.Grid) - 0.5f;
                    var heat = (Sample(map, gx, gy) - low) * scale;
                    row[x] = Blend(row[x], Colour(heat));
                }
            }
        });

        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    /// <summary>The map at continuous grid coordinates, bilinear between cell centres, clamped at the edges.</summary>
    public static float Sample(AttentionMap map, float gx, float gy)
    {
        var last = map.Grid - 1;
        gx = Math.Clamp(gx, 0f, last);
        gy = Math.Clamp(gy, 0f, last);
        var x0 = (int)gx;
        var y0 = (int)gy;
        var x1 = Math.Min(x0 + 1, last);
        var y1 = Math.Min(y0 + 1, last);
        var fx = gx - x0;
        var fy = gy - y0;
        var top = (map[y0, x0] * (1 - fx)) + (map[y0, x1] * fx);
        var bottom = (map[y1, x0] * (1 - fx)) + (map[y1, x1] * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }

    /// <summary>Blue (0) → cyan (1/3) → yellow (2/3) → red (1).</summary>
    public static (float R, float G, float B) Colour(float heat)
    {
        heat = Math.Clamp(heat, 0f, 1f) * 3f;
        return heat switch
        {
            < 1f => (0f, heat, 1f),
            < 2f => (heat - 1f, 1f, 2f - heat),
            _ => (1f, 3f - heat, 0f),
        };
    }

    private static Rgb24 Blend(Rgb24 pixel, (float R, float G, float B) colour) => new(
        Mix(pixel.R, colour.R),
        Mix(pixel.G, colour.G),
        Mix(pixel.B, colour.B));

    private static byte Mix(byte value, float colour) => (byte)Math.Clamp(MathF.Round((value * (1 - Opacity)) + (colour * 255f * Opacity)), 0f, 255f);

    private static (float Low, float High) Range(float[] weights)
    {
        var low = float.PositiveInfinity;
        var high = float.NegativeInfinity;
        foreach (var w in weights)
        {
            low = Math.Min(low, w);
            high = Math.Max(high, w);
        }

        return (low, high);
    }
}
