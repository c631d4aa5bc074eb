using System.Buffers.Binary;
using IpIqa.Core.Errors;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging.Tests;

/// <summary>Files whose compressed data cannot cover the frame their header declares are <c>image_truncated</c>, before a frame is allocated.</summary>
public sealed class TruncatedDataTests
{
    public static TheoryData<bool> Decoders() => new() { true, false };

    [Theory]
    [MemberData(nameof(Decoders))]
    public void TinyPngDeclaring8000Squared_IsTruncated_WithoutAllocatingAFrame(bool native)
    {
        var png = PngBuilder.Build(8000, 8000, 8, 2, [new byte[1]]);
        Assert.InRange(png.Length, 60, 80);
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });
        var spec = ClipNormalisation.Spec(16);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<IpIqaException>(() => preprocessor.Preprocess(png, spec, new float[spec.TensorLength]));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(ErrorCodes.ImageTruncated, error.Code);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 * 1024 * 1024, $"refusing a {png.Length}-byte file allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void PngWhoseIdatStreamEndsEarly_ButFileEndsWithIend_IsTruncated(bool interlaced, bool native)
    {
        var png = Encode(new PngEncoder { InterlaceMethod = interlaced ? PngInterlaceMode.Adam7 : PngInterlaceMode.None, CompressionLevel = PngCompressionLevel.NoCompression }, 64, 48);
        var cut = CutIdat(png, keep: 0.5);

        var error = Refuse(cut, native);

        Assert.Equal(ErrorCodes.ImageTruncated, error.Code);
        Assert.Contains("IDAT", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void PngCutAnywhereInsideItsIdatStream_IsTruncated(bool interlaced, bool native)
    {
        var png = Encode(new PngEncoder { InterlaceMethod = interlaced ? PngInterlaceMode.Adam7 : PngInterlaceMode.None, CompressionLevel = PngCompressionLevel.DefaultCompression }, 97, 61);
        for (var keep = 0.02; keep < 0.999; keep += 0.03)
        {
            var error = Refuse(CutIdat(png, keep), native);
            Assert.True(error.Code == ErrorCodes.ImageTruncated, $"IDAT cut to {keep:P0}: {error.Code} ({error.Message})");
        }
    }

    [Theory]
    [InlineData(1, 1, PngColorType.Grayscale, PngBitDepth.Bit1, false, true)]
    [InlineData(3, 5, PngColorType.Grayscale, PngBitDepth.Bit2, true, true)]
    [InlineData(9, 7, PngColorType.Palette, PngBitDepth.Bit4, true, true)]
    [InlineData(64, 48, PngColorType.Rgb, PngBitDepth.Bit8, true, true)]
    [InlineData(33, 17, PngColorType.RgbWithAlpha, PngBitDepth.Bit16, true, true)]
    [InlineData(2048, 2048, PngColorType.Rgb, PngBitDepth.Bit8, false, true)]
    [InlineData(1, 1, PngColorType.Grayscale, PngBitDepth.Bit1, false, false)]
    [InlineData(33, 17, PngColorType.RgbWithAlpha, PngBitDepth.Bit16, true, false)]
    [InlineData(2048, 2048, PngColorType.Rgb, PngBitDepth.Bit8, false, false)]
    public void WholePngs_OfEveryLayout_StillDecode(int width, int height, PngColorType colour, PngBitDepth depth, bool interlaced, bool native)
    {
        var png = Encode(
            new PngEncoder { ColorType = colour, BitDepth = depth, InterlaceMethod = interlaced ? PngInterlaceMode.Adam7 : PngInterlaceMode.None, CompressionLevel = PngCompressionLevel.BestCompression },
            width,
            height,
            uniform: width > 1000);

        using var image = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native }).Decode(png);

        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void TinyJpegDeclaring8000Squared_IsTruncated(bool native)
    {
        var jpeg = HostileCorpus.JpegWithClaimedSize(8000, 8000);

        var error = Refuse(jpeg, native);

        Assert.Equal(ErrorCodes.ImageTruncated, error.Code);
        Assert.Contains("scan data", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void UniformJpeg_OfTwoMegapixels_StillDecodes(bool native)
    {
        var jpeg = Encode(new JpegEncoder { Quality = 50 }, 2048, 1024, uniform: true);

        using var image = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native }).Decode(jpeg);

        Assert.Equal((2048, 1024), (image.Width, image.Height));
    }

    private static IpIqaException Refuse(byte[] data, bool native = true)
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });
        var spec = ClipNormalisation.Spec(16);
        return Assert.Throws<IpIqaException>(() => preprocessor.Preprocess(data, spec, new float[spec.TensorLength]));
    }

    private static byte[] Encode(SixLabors.ImageSharp.Formats.IImageEncoder encoder, int width, int height, bool uniform = false) =>
        HostileCorpus.Encode(encoder, width, height, uniform ? (_, _) => new Rgba32(90, 120, 200, 255) : null);

    /// <summary>Keeps the first part of the IDAT payload (CRC recomputed) and every chunk after it, IEND included.</summary>
    private static byte[] CutIdat(byte[] png, double keep)
    {
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, 8));
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var payload = png.AsSpan(offset + 8, length).ToArray();
            PngBuilder.WriteChunk(output, type, type == "IDAT" ? payload[..(int)(length * keep)] : payload);
            offset += 12 + length;
        }

        return output.ToArray();
    }
}
