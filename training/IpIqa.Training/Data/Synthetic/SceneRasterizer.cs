using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// Draws a <see cref="SceneSpec"/> with signed distance fields: each pixel's coverage is
/// clamp(0.5 − distance in pixels), which anti-aliases the edges. Layout jitter comes from the given random.
/// </summary>
public static class SceneRasterizer
{
    public static Image<Rgb24> Render(SceneSpec scene, int size, Random random)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        var canvas = new float[size * size * 3];
        PaintBackground(canvas, size, scene.Style);
        foreach (var (cx, cy, radius, angle) in Layout(scene, random))
        {
            PaintShape(canvas, size, scene, cx, cy, radius, angle);
        }

        var image = new Image<Rgb24>(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var i = ((y * size) + x) * 3;
                image[x, y] = new Rgb24(ToByte(canvas[i]), ToByte(canvas[i + 1]), ToByte(canvas[i + 2]));
            }
        }

        return image;
    }

    /// <summary>Object centres, radii and angles in unit coordinates: one cell per object inside the position's region.</summary>
    internal static IEnumerable<(double X, double Y, double Radius, double Angle)> Layout(SceneSpec scene, Random random)
    {
        var (left, top, right, bottom) = scene.Position switch
        {
            ScenePosition.Left => (0.04, 0.04, 0.50, 0.96),
            ScenePosition.Right => (0.50, 0.04, 0.96, 0.96),
            ScenePosition.Top => (0.04, 0.04, 0.96, 0.50),
            ScenePosition.Bottom => (0.04, 0.50, 0.96, 0.96),
            _ => (0.18, 0.18, 0.82, 0.82),
        };
        var (width, height) = (right - left, bottom - top);
        var (columns, rows) = scene.Count switch
        {
            <= 0 => (1, 1),
            _ when width > height * 1.5 => (scene.Count, 1),
            _ when height > width * 1.5 => (1, scene.Count),
            <= 2 => (scene.Count, 1),
            _ => (2, 2),
        };
        var (cellW, cellH) = (width / columns, height / rows);
        for (var n = 0; n < scene.Count; n++)
        {
            var (col, row) = (n % columns, n / columns);
            var x = left + ((col + 0.5 + ((random.NextDouble() - 0.5) * 0.15)) * cellW);
            var y = top + ((row + 0.5 + ((random.NextDouble() - 0.5) * 0.15)) * cellH);
            var radius = 0.42 * Math.Min(cellW, cellH) * (0.85 + (0.15 * random.NextDouble()));
            var angle = (random.NextDouble() - 0.5) * 0.6;
            yield return (x, y, radius, angle);
        }
    }

    private static void PaintBackground(float[] canvas, int size, RenderStyle style)
    {
        for (var y = 0; y < size; y++)
        {
            var v = (y + 0.5f) / size;
            for (var x = 0; x < size; x++)
            {
                var (r, g, b) = style switch
                {
                    RenderStyle.Photo => (0.45f + (0.15f * v), 0.60f - (0.05f * v), 0.85f - (0.40f * v)),
                    RenderStyle.Sketch => (0.80f, 0.78f, 0.72f),
                    RenderStyle.Checkered => ((x * 8 / size) + (y * 8 / size)) % 2 == 0 ? (0.75f, 0.75f, 0.75f) : (0.42f, 0.42f, 0.42f),
                    _ => (0.62f, 0.66f, 0.70f),
                };
                var i = ((y * size) + x) * 3;
                (canvas[i], canvas[i + 1], canvas[i + 2]) = (r, g, b);
            }
        }
    }

    private static void PaintShape(float[] canvas, int size, SceneSpec scene, double cx, double cy, double radius, double angle)
    {
        var stroke = Math.Max(1.2, size / 40.0);
        var reach = (radius * size) + stroke + 2;
        var (x0, x1) = (Math.Max(0, (int)((cx * size) - reach)), Math.Min(size - 1, (int)((cx * size) + reach)));
        var (y0, y1) = (Math.Max(0, (int)((cy * size) - reach)), Math.Min(size - 1, (int)((cy * size) + reach)));
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                var (dx, dy) = (((x + 0.5) / size) - cx, ((y + 0.5) / size) - cy);
                var distance = ShapeField.Distance(scene.Shape, dx, dy, radius, angle) * size;
                if (scene.Style == RenderStyle.Sketch)
                {
                    distance = Math.Abs(distance) - (stroke / 2);
                }

                var coverage = (float)Math.Clamp(0.5 - distance, 0, 1);
                if (coverage <= 0)
                {
                    continue;
                }

                var shade = scene.Style == RenderStyle.Photo ? (float)Math.Clamp(1.0 - (0.6 * (dx + dy) / (radius * 2.83)), 0.6, 1.4) : 1f;
                var i = ((y * size) + x) * 3;
                canvas[i] += coverage * (Math.Min(scene.Color.R * shade, 1f) - canvas[i]);
                canvas[i + 1] += coverage * (Math.Min(scene.Color.G * shade, 1f) - canvas[i + 1]);
                canvas[i + 2] += coverage * (Math.Min(scene.Color.B * shade, 1f) - canvas[i + 2]);
            }
        }
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);
}
