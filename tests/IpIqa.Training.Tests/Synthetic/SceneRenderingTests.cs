using IpIqa.Training.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Training.Tests.Synthetic;

public sealed class SceneRenderingTests
{
    private static readonly SceneColor Red = SceneColor.Palette.Single(c => c.Name == "red");
    private static readonly SceneColor Blue = SceneColor.Palette.Single(c => c.Name == "blue");

    [Fact]
    public void Prompt_ReadsLikeTheGrammar()
    {
        Assert.Equal("two red circles on the left, sketch style", new SceneSpec(ShapeKind.Circle, Red, 2, ScenePosition.Left, RenderStyle.Sketch).ToPrompt());
        Assert.Equal("one blue cross in the center, flat style", new SceneSpec(ShapeKind.Cross, Blue, 1, ScenePosition.Center, RenderStyle.Flat).ToPrompt());
    }

    [Theory]
    [InlineData(ScenePosition.Left)]
    [InlineData(ScenePosition.Right)]
    [InlineData(ScenePosition.Top)]
    [InlineData(ScenePosition.Bottom)]
    public void Render_PutsTheObjectsInTheNamedHalf(ScenePosition position)
    {
        using var image = SceneRasterizer.Render(new SceneSpec(ShapeKind.Square, Red, 3, position, RenderStyle.Flat), 64, new Random(0));
        var red = RedPixels(image);

        Assert.True(red.Count > 100, $"only {red.Count} red pixels");
        Assert.All(red, p => Assert.True(position switch
        {
            ScenePosition.Left => p.X < 32,
            ScenePosition.Right => p.X >= 32,
            ScenePosition.Top => p.Y < 32,
            _ => p.Y >= 32,
        }));
    }

    [Theory]
    [InlineData(ShapeKind.Circle, 0)]
    [InlineData(ShapeKind.Circle, 1)]
    [InlineData(ShapeKind.Square, 2)]
    [InlineData(ShapeKind.Star, 3)]
    [InlineData(ShapeKind.Triangle, 4)]
    [InlineData(ShapeKind.Cross, 4)]
    public void Render_DrawsAsManySeparateObjectsAsTheCount(ShapeKind shape, int count)
    {
        using var image = SceneRasterizer.Render(new SceneSpec(shape, Red, count, ScenePosition.Center, RenderStyle.Flat), 64, new Random(0));

        Assert.Equal(count, Components(RedPixels(image)));
    }

    [Fact]
    public void Render_EdgesAreAntiAliased()
    {
        using var image = SceneRasterizer.Render(new SceneSpec(ShapeKind.Circle, Red, 1, ScenePosition.Center, RenderStyle.Flat), 64, new Random(0));
        var distinct = new HashSet<Rgb24>();
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    distinct.Add(p);
                }
            }
        });

        Assert.True(distinct.Count > 5, $"{distinct.Count} colours: the edge has no intermediate values");
    }

    [Fact]
    public void Degrader_MoreBlur_LowersEdgeEnergy()
    {
        var energies = new[] { 0.0, 1.0, 2.5 }.Select(sigma =>
        {
            using var image = Degrader.Apply(Scene(), new QualityControls(BlurSigma: sigma), new Random(0));
            return EdgeEnergy(image);
        }).ToArray();

        Assert.True(energies[1] < energies[0] && energies[2] < energies[1], string.Join(", ", energies));
    }

    [Fact]
    public void Degrader_Posterize_LimitsTheLevelsPerChannel()
    {
        using var image = Degrader.Apply(Scene(), new QualityControls(PosterizeLevels: 4), new Random(0));
        var levels = new HashSet<byte>();
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    levels.Add(p.R);
                }
            }
        });

        Assert.InRange(levels.Count, 2, 4);
    }

    [Fact]
    public void Degrader_NoiseAndJpeg_ChangeThePixels_DownscaleKeepsTheSize()
    {
        using var clean = Scene();
        foreach (var controls in new[] { new QualityControls(NoiseSigma: 10), new QualityControls(JpegQuality: 10), new QualityControls(DownscaleFactor: 4) })
        {
            using var degraded = Degrader.Apply(Scene(), controls, new Random(0));
            Assert.Equal(clean.Size(), degraded.Size());
            Assert.True(MeanAbsDiff(clean, degraded) > 0.5, controls.Describe());
        }
    }

    private static Image<Rgb24> Scene() =>
        SceneRasterizer.Render(new SceneSpec(ShapeKind.Star, Red, 4, ScenePosition.Center, RenderStyle.Checkered), 64, new Random(3));

    private static List<Point> RedPixels(Image<Rgb24> image)
    {
        var points = new List<Point>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                if (p.R > 150 && p.G < 100 && p.B < 100)
                {
                    points.Add(new Point(x, y));
                }
            }
        }

        return points;
    }

    /// <summary>Number of 8-connected blobs.</summary>
    private static int Components(List<Point> pixels)
    {
        var left = pixels.ToHashSet();
        var blobs = 0;
        while (left.Count > 0)
        {
            blobs++;
            var stack = new Stack<Point>([left.First()]);
            left.Remove(stack.Peek());
            while (stack.TryPop(out var p))
            {
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var q = new Point(p.X + dx, p.Y + dy);
                        if (left.Remove(q))
                        {
                            stack.Push(q);
                        }
                    }
                }
            }
        }

        return blobs;
    }

    private static double EdgeEnergy(Image<Rgb24> image)
    {
        var sum = 0.0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 1; x < image.Width; x++)
            {
                sum += Math.Abs(image[x, y].R - image[x - 1, y].R) + Math.Abs(image[x, y].G - image[x - 1, y].G);
            }
        }

        return sum;
    }

    private static double MeanAbsDiff(Image<Rgb24> a, Image<Rgb24> b)
    {
        var sum = 0.0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                sum += Math.Abs(a[x, y].R - b[x, y].R) + Math.Abs(a[x, y].G - b[x, y].G) + Math.Abs(a[x, y].B - b[x, y].B);
            }
        }

        return sum / (3.0 * a.Width * a.Height);
    }
}
