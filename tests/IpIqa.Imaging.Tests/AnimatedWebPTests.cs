using IpIqa.Core.Errors;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging.Tests;

/// <summary>An animated WebP is scored on frame 0 as the reference renders it: on a transparent-black canvas, at its offset, alpha dropped.</summary>
public sealed class AnimatedWebPTests
{
    public static TheoryData<bool> Decoders() => new() { true, false };

    [Theory]
    [MemberData(nameof(Decoders))]
    public void FrameZero_IsDrawnAtItsOffset_OnABlackCanvas(bool native)
    {
        var red = Lossless(24, 16, (x, y) => new Rgba32((byte)(200 + x), (byte)(y * 9), 30, 255));
        var blue = Lossless(40, 30, (_, _) => new Rgba32(0, 0, 255, 255));
        var animated = AnimatedWebPBuilder.Build(40, 30, (red, 24, 16, 4, 6), (blue, 40, 30, 0, 0));

        using var image = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native }).Decode(animated);

        Assert.Equal((40, 30), (image.Width, image.Height));
        for (var y = 0; y < 30; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                var inFrame = x >= 4 && x < 28 && y >= 6 && y < 22;
                var expected = inFrame ? (200 + (x - 4), (y - 6) * 9, 30) : (0, 0, 0);
                var pixel = image.Row(y).Slice(x * 4, 3);
                Assert.True(expected == (pixel[0], pixel[1], pixel[2]), $"pixel ({x},{y}) is ({pixel[0]},{pixel[1]},{pixel[2]}), frame 0 gives {expected}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void ALossyFrameWithAlpha_DecodesAsItsStillFileDoes(bool native)
    {
        var still = HostileCorpus.Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 90 }, 32, 32, (x, y) => new Rgba32((byte)(x * 8), (byte)(y * 8), 77, (byte)(x < 16 ? 255 : 128)));
        var animated = AnimatedWebPBuilder.Build(32, 32, (still, 32, 32, 0, 0));
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });

        using var frame = preprocessor.Decode(animated);
        using var expected = preprocessor.Decode(still);

        Assert.True(expected.Pixels.SequenceEqual(frame.Pixels));
    }

    [Fact]
    public void AnAnimatedWebPWithoutFrames_IsUndecodable()
    {
        var animated = AnimatedWebPBuilder.Build(40, 30);
        var spec = ClipNormalisation.Spec(8);

        var error = Assert.Throws<IpIqaException>(() => new ImagePreprocessor(new ImagingOptions()).Preprocess(animated, spec, new float[spec.TensorLength]));

        Assert.Equal(ErrorCodes.ImageUndecodable, error.Code);
    }

    [Fact]
    public void AFrameOutsideTheCanvas_IsUndecodable()
    {
        var red = Lossless(24, 16, (_, _) => new Rgba32(255, 0, 0, 255));
        var animated = AnimatedWebPBuilder.Build(20, 20, (red, 24, 16, 0, 0));

        var error = Assert.Throws<IpIqaException>(() => new ImagePreprocessor(new ImagingOptions()).Decode(animated).Dispose());

        Assert.Equal(ErrorCodes.ImageUndecodable, error.Code);
    }

    private static byte[] Lossless(int width, int height, Func<int, int, Rgba32> pixel) =>
        HostileCorpus.Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }, width, height, pixel);
}
