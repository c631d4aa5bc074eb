using System.Buffers.Binary;
using IpIqa.Core.Errors;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// Chunk checksums. Both PNG decoders refuse a bad IHDR CRC (as Pillow does) and skip an ancillary
/// chunk with a bad CRC (Pillow refuses one before the image data). Pillow never checks IDAT CRCs;
/// libspng does not check the last IDAT's either, ImageSharp refuses it. docs/imaging.md lists these.
/// </summary>
public sealed class PngChecksumTests
{
    private const int Width = 6;
    private const int Height = 4;

    public static TheoryData<bool> Decoders() => new() { true, false };

    [Theory]
    [MemberData(nameof(Decoders))]
    public void BadIhdrCrc_IsUndecodable(bool native)
    {
        var png = Valid();
        FlipCrc(png, "IHDR");

        var error = Assert.Throws<IpIqaException>(() => Decode(png, native).Dispose());

        Assert.Equal(ErrorCodes.ImageUndecodable, error.Code);
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void BadCrcOfTheLastIdat_DecodesWithLibspngLikePillow_AndIsRefusedByImageSharp(bool native)
    {
        var png = Valid();
        FlipCrc(png, "IDAT");

        if (native)
        {
            using var image = Decode(png, native);
            AssertPixels(image);
        }
        else
        {
            Assert.Equal(ErrorCodes.ImageUndecodable, Assert.Throws<IpIqaException>(() => Decode(png, native).Dispose()).Code);
        }
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void BadAncillaryCrc_IsSkipped_AndThePixelsDecode(bool native)
    {
        var valid = Valid();
        using var text = new MemoryStream();
        PngBuilder.WriteChunk(text, "tEXt", "Comment\0made by a test"u8.ToArray());
        var chunk = text.ToArray();
        chunk[^1] ^= 0x01;
        var ihdrEnd = 8 + 25;
        byte[] png = [.. valid.AsSpan(0, ihdrEnd), .. chunk, .. valid.AsSpan(ihdrEnd)];

        using var image = Decode(png, native);

        AssertPixels(image);
    }

    private static void AssertPixels(Decoding.RgbxImage image)
    {
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var p = image.Row(y).Slice(x * 4, 3).ToArray();
                Assert.Equal(new[] { Sample(x, y, 0), Sample(x, y, 1), Sample(x, y, 2) }, p);
            }
        }
    }

    private static Decoding.RgbxImage Decode(byte[] png, bool native)
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });
        Assert.Contains(native ? "png=libspng" : "png=imagesharp", preprocessor.DecoderDescription, StringComparison.Ordinal);
        return preprocessor.Decode(png);
    }

    private static byte Sample(int x, int y, int c) => (byte)((x * 41) + (y * 13) + (c * 90));

    private static byte[] Valid() => PngBuilder.Build(
        Width,
        Height,
        8,
        2,
        Enumerable.Range(0, Height).Select(y => Enumerable.Range(0, Width * 3).Select(i => Sample(i / 3, y, i % 3)).ToArray()).ToArray());

    private static void FlipCrc(byte[] png, string type)
    {
        var offset = 8;
        while (System.Text.Encoding.ASCII.GetString(png, offset + 4, 4) != type)
        {
            offset += 12 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
        }

        png[offset + 8 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset))] ^= 0x01;
    }
}
