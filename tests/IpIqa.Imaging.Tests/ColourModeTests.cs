using System.Buffers.Binary;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// Colour modes against Pillow's <c>convert("RGB")</c> definition: alpha dropped, grey replicated,
/// palette looked up (transparency ignored, in PNG and GIF), 16-bit colour keeps the high byte, 16-bit grey clamps at 255.
/// The spec size equals the image size, so no resampling is involved.
/// </summary>
public sealed class ColourModeTests
{
    private const int Width = 7;
    private const int Height = 5;

    [Fact]
    public void Rgba_AlphaIsDroppedNotComposited()
    {
        var rows = MakeRows(4, (x, y, c) => c == 3 ? (byte)(x * 40) : Sample(x, y, c));
        AssertRgb(PngBuilder.Build(Width, Height, 8, 6, rows), (x, y) => (Sample(x, y, 0), Sample(x, y, 1), Sample(x, y, 2)));
    }

    [Fact]
    public void GreyWithAlpha_GreyIsReplicatedAndAlphaDropped()
    {
        var rows = MakeRows(2, (x, y, c) => c == 1 ? (byte)0 : Sample(x, y, 0));
        AssertRgb(PngBuilder.Build(Width, Height, 8, 4, rows), (x, y) => Grey(Sample(x, y, 0)));
    }

    [Fact]
    public void Grey_IsReplicatedToThreeChannels()
    {
        var rows = MakeRows(1, (x, y, _) => Sample(x, y, 1));
        AssertRgb(PngBuilder.Build(Width, Height, 8, 0, rows), (x, y) => Grey(Sample(x, y, 1)));
    }

    [Fact]
    public void Palette_LooksUpColoursAndIgnoresTransparency()
    {
        var palette = new byte[16 * 3];
        for (var i = 0; i < palette.Length; i++)
        {
            palette[i] = (byte)((i * 37) + 11);
        }

        var transparency = Enumerable.Repeat((byte)0, 16).ToArray();
        var rows = MakeRows(1, (x, y, _) => (byte)(((x * 3) + y) % 16));
        AssertRgb(
            PngBuilder.Build(Width, Height, 8, 3, rows, palette, transparency),
            (x, y) =>
            {
                var i = (((x * 3) + y) % 16) * 3;
                return (palette[i], palette[i + 1], palette[i + 2]);
            });
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public void Gif_ShowsThePaletteColourOfTheTransparentIndex(int? transparent)
    {
        byte[] palette = [10, 20, 30, 200, 100, 50, 7, 8, 9, 250, 240, 230];
        static byte Index(int x, int y) => (byte)((x + (2 * y)) % 4);
        AssertRgb(
            GifBuilder.Build(Width, Height, palette, transparent, Index),
            (x, y) => (palette[Index(x, y) * 3], palette[(Index(x, y) * 3) + 1], palette[(Index(x, y) * 3) + 2]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExifOrientation_IsNotApplied_LikeTheReference(bool native)
    {
        var jpeg = HostileCorpus.JpegRotatedByExif(40, 24);
        Assert.True(jpeg.AsSpan().IndexOf("Exif\0\0"u8) >= 0, "the test file carries an EXIF block");
        using var image = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native }).Decode(jpeg);
        Assert.Equal((40, 24), (image.Width, image.Height));
    }

    [Fact]
    public void SixteenBitGrey_ClampsAt255LikePillowModeI()
    {
        var rows = MakeRows16(1, (x, y, _) => Sample16(x, y));
        AssertRgb(PngBuilder.Build(Width, Height, 16, 0, rows), (x, y) => Grey((byte)Math.Min((int)Sample16(x, y), 255)));
    }

    [Fact]
    public void SixteenBitRgb_KeepsTheHighByte()
    {
        var rows = MakeRows16(3, (x, y, c) => (ushort)(Sample16(x, y) + (c * 4099)));
        AssertRgb(
            PngBuilder.Build(Width, Height, 16, 2, rows),
            (x, y) => ((byte)(Sample16(x, y) >> 8), (byte)((ushort)(Sample16(x, y) + 4099) >> 8), (byte)((ushort)(Sample16(x, y) + 8198) >> 8)));
    }

    [Fact]
    public void SixteenBitRgba_KeepsTheHighByteAndDropsAlpha()
    {
        var rows = MakeRows16(4, (x, y, c) => c == 3 ? (ushort)0 : (ushort)(Sample16(x, y) ^ (c * 0x1111)));
        AssertRgb(
            PngBuilder.Build(Width, Height, 16, 6, rows),
            (x, y) => ((byte)(Sample16(x, y) >> 8), (byte)((Sample16(x, y) ^ 0x1111) >> 8), (byte)((Sample16(x, y) ^ 0x2222) >> 8)));
    }

    private static byte Sample(int x, int y, int c) => (byte)((x * 31) + (y * 17) + (c * 71));

    // Spans the full 16-bit range, small values included so the grey clamp is exercised both ways.
    private static ushort Sample16(int x, int y) => (ushort)((x + (y * Width)) * 1873 % 65536 / ((x % 2) == 0 ? 1 : 400));

    private static (byte, byte, byte) Grey(byte v) => (v, v, v);

    private static byte[][] MakeRows(int channels, Func<int, int, int, byte> value) =>
        Enumerable.Range(0, Height).Select(y =>
        {
            var row = new byte[Width * channels];
            for (var x = 0; x < Width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    row[(x * channels) + c] = value(x, y, c);
                }
            }

            return row;
        }).ToArray();

    private static byte[][] MakeRows16(int channels, Func<int, int, int, ushort> value) =>
        Enumerable.Range(0, Height).Select(y =>
        {
            var row = new byte[Width * channels * 2];
            for (var x = 0; x < Width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(((x * channels) + c) * 2), value(x, y, c));
                }
            }

            return row;
        }).ToArray();

    private static void AssertRgb(byte[] png, Func<int, int, (byte R, byte G, byte B)> expected)
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions());
        using var image = preprocessor.Decode(png);
        Assert.Equal(Width, image.Width);
        Assert.Equal(Height, image.Height);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var (r, g, b) = expected(x, y);
                var p = image.Row(y).Slice(x * 4, 3);
                Assert.True(p[0] == r && p[1] == g && p[2] == b, $"pixel ({x},{y}): expected ({r},{g},{b}), got ({p[0]},{p[1]},{p[2]})");
            }
        }
    }
}
