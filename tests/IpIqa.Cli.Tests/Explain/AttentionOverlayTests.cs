using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Cli.Tests.Explain;

/// <summary>The overlay puts the map's hottest cell in red and its coldest in blue, where they lie on the image.</summary>
public sealed class AttentionOverlayTests
{
    [Fact]
    public void Overlay_on_a_grey_image_is_red_over_the_hot_cell_and_blue_over_the_cold_one()
    {
        // 4x4 map: hot in the top-right cell, cold in the bottom-left, the rest in between.
        var weights = Enumerable.Repeat(0.5f, 16).ToArray();
        weights[3] = 1f;
        weights[12] = 0f;
        using var grey = new Image<Rgb24>(256, 128, new Rgb24(128, 128, 128));
        using var encoded = new MemoryStream();
        grey.SaveAsPng(encoded);

        using var overlay = Image.Load<Rgb24>(AttentionOverlay.RenderPng(encoded.ToArray(), new AttentionMap(4, weights)));

        Assert.Equal((512, 256), (overlay.Width, overlay.Height));
        var hot = overlay[(int)(3.5 * 512 / 4), (int)(0.5 * 256 / 4)];
        var cold = overlay[(int)(0.5 * 512 / 4), (int)(3.5 * 256 / 4)];
        // Half grey, half red (192, 64, 64) and half grey, half blue (64, 64, 192); pixel centres lie a little off the cell centres.
        Assert.True(hot.R >= 188 && hot.G <= 70 && hot.B <= 66, $"hot cell: {hot}");
        Assert.True(cold.B >= 188 && cold.G <= 70 && cold.R <= 66, $"cold cell: {cold}");
    }

    [Theory]
    [InlineData(0f, 0f, 0f, 1f)]
    [InlineData(0.5f, 0.5f, 1f, 0.5f)]
    [InlineData(1f, 1f, 0f, 0f)]
    public void Colour_ramp_runs_from_blue_through_green_to_red(float heat, float r, float g, float b) =>
        Assert.Equal((r, g, b), AttentionOverlay.Colour(heat));

    [Fact]
    public void Sample_is_exact_at_cell_centres_and_halfway_between_them()
    {
        var map = new AttentionMap(2, [0f, 1f, 2f, 3f]);

        Assert.Equal(1f, AttentionOverlay.Sample(map, 1f, 0f));
        Assert.Equal(0.5f, AttentionOverlay.Sample(map, 0.5f, 0f));
        Assert.Equal(1.5f, AttentionOverlay.Sample(map, 0.5f, 0.5f));
        Assert.Equal(0f, AttentionOverlay.Sample(map, -0.5f, -0.5f)); // clamped at the edge
    }
}
