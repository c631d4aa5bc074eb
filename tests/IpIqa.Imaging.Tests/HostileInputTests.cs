using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;

namespace IpIqa.Imaging.Tests;

public sealed class HostileInputTests
{
    private static readonly PreprocessSpec Spec = ClipNormalisation.Spec(32);

    public static TheoryData<bool> Decoders() => new() { true, false };

    [Fact]
    public void ZeroBytes_IsImageEmpty() => AssertCode(ErrorCodes.ImageEmpty, []);

    [Fact]
    public void FileOverByteCap_IsImageTooLarge()
    {
        var png = HostileCorpus.Png();
        AssertCode(ErrorCodes.ImageTooLarge, png, new ImageLimits { MaxBytes = png.Length - 1 });
    }

    [Fact]
    public void PngHeaderClaiming100000Squared_IsImageTooLargeBeforeDecoding() =>
        AssertCode(ErrorCodes.ImageTooLarge, HostileCorpus.PngBomb(100_000, 100_000));

    [Theory]
    [MemberData(nameof(Decoders))]
    public void JpegHeaderClaiming60000Squared_IsImageTooLarge(bool native) =>
        AssertCode(ErrorCodes.ImageTooLarge, HostileCorpus.JpegWithClaimedSize(60_000, 60_000), native: native);

    [Fact]
    public void PixelsOverPixelCap_IsImageTooLarge() =>
        AssertCode(ErrorCodes.ImageTooLarge, HostileCorpus.Png(64, 48), new ImageLimits { MaxPixels = (64 * 48) - 1 });

    [Fact]
    public void DecodeOverMemoryCap_IsImageTooLarge()
    {
        // 16-bit RGBA decodes at 8 bytes a pixel: 2000×1200 needs ~18 MB, over a 16 MB cap.
        var row = new byte[2000 * 8];
        var png = PngBuilder.Build(2000, 1200, 16, 6, Enumerable.Repeat(row, 1200).ToArray());
        AssertCode(ErrorCodes.ImageTooLarge, png, new ImageLimits { MaxDecoderMemoryMegabytes = 16 });
    }

    [Fact]
    public void NativeJpegOverMemoryBudget_IsImageTooLargeBeforeDecoding()
    {
        // 1500×1500 is under the pixel cap; the native JPEG budget (10 bytes a pixel) exceeds 16 MB.
        var jpeg = HostileCorpus.JpegWithClaimedSize(1500, 1500);
        AssertCode(ErrorCodes.ImageTooLarge, jpeg, new ImageLimits { MaxDecoderMemoryMegabytes = 16 });
    }

    [Theory]
    [InlineData(16)]
    [InlineData(4096)]
    public void RandomBytes_IsUnsupportedFormat(int length) =>
        AssertCode(ErrorCodes.ImageUnsupported, HostileCorpus.RandomBytes(length, length));

    [Theory]
    [InlineData("a photo of a cat")]
    [InlineData("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")]
    [InlineData("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>")]
    [InlineData("<svg width=\"10\" height=\"10\"></svg>")]
    public void TextPdfOrSvg_IsUnsupportedFormat(string text) =>
        AssertCode(ErrorCodes.ImageUnsupported, System.Text.Encoding.UTF8.GetBytes(text));

    [Theory]
    [MemberData(nameof(Decoders))]
    public void TruncatedJpeg_IsTruncated(bool native) =>
        AssertCode(ErrorCodes.ImageTruncated, HostileCorpus.Truncate(HostileCorpus.Jpeg(), 0.7), native: native);

    [Fact]
    public void TruncatedPng_IsTruncated() =>
        AssertCode(ErrorCodes.ImageTruncated, HostileCorpus.Truncate(HostileCorpus.Png(), 0.7));

    [Theory]
    [MemberData(nameof(Decoders))]
    public void TruncatedWebP_IsTruncated(bool native) =>
        AssertCode(ErrorCodes.ImageTruncated, HostileCorpus.Truncate(HostileCorpus.WebP(), 0.7), native: native);

    [Fact]
    public void TruncatedGif_IsTruncated() =>
        AssertCode(ErrorCodes.ImageTruncated, HostileCorpus.Truncate(HostileCorpus.Gif(), 0.7));

    [Fact]
    public void TruncatedBmp_IsTruncated() =>
        AssertCode(ErrorCodes.ImageTruncated, HostileCorpus.Truncate(HostileCorpus.Bmp(), 0.7));

    [Fact]
    public void PngWithCorruptChunkCrc_IsUndecodable()
    {
        var png = HostileCorpus.Png();
        png[8 + 8 + 13] ^= 0xFF; // first byte of the IHDR CRC
        AssertCode(ErrorCodes.ImageUndecodable, png);
    }

    [Fact]
    public void PngSignatureFollowedByGarbage_IsUndecodable() =>
        AssertCode(ErrorCodes.ImageUndecodable, [.. PngBuilder.Signature, .. HostileCorpus.RandomBytes(512, 7)]);

    [Theory]
    [MemberData(nameof(Decoders))]
    public void JpegMarkerFollowedByGarbage_IsUndecodable(bool native) =>
        AssertCode(ErrorCodes.ImageUndecodable, [0xFF, 0xD8, 0xFF, .. HostileCorpus.RandomBytes(512, 11), 0xFF, 0xD9], native: native);

    [Theory]
    [MemberData(nameof(Decoders))]
    public void WebPHeaderFollowedByGarbage_IsUndecodable(bool native)
    {
        byte[] data = [.. "RIFF"u8, 0, 2, 0, 0, .. "WEBPVP8 "u8, .. HostileCorpus.RandomBytes(512 + 4, 13)];
        AssertCode(ErrorCodes.ImageUndecodable, data, native: native);
    }

    [Fact]
    public void GifWithoutAnyFrame_IsUndecodable() =>
        AssertCode(ErrorCodes.ImageUndecodable, [.. "GIF89a"u8, 16, 0, 16, 0, 0, 0, 0, 0x3B]);

    [Theory]
    [MemberData(nameof(Decoders))]
    public void ValidFiles_InEveryFormat_Decode(bool native)
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });
        foreach (var file in new[] { HostileCorpus.Jpeg(), HostileCorpus.Png(), HostileCorpus.WebP(), HostileCorpus.Gif(), HostileCorpus.Bmp() })
        {
            var tensor = new float[Spec.TensorLength];
            preprocessor.Preprocess(file, Spec, tensor);
            Assert.Contains(tensor, v => v != tensor[0]);
        }
    }

    private static void AssertCode(string code, byte[] data, ImageLimits? limits = null, bool native = true)
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions { Limits = limits ?? ImageLimits.Default, UseNativeCodecs = native });
        var error = Assert.Throws<IpIqaException>(() => preprocessor.Preprocess(data, Spec, new float[Spec.TensorLength]));
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
