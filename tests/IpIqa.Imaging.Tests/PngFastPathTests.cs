using System.Buffers.Binary;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using IpIqa.Imaging.Decoding;
using IpIqa.Imaging.Native;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// The libdeflate PNG fast path gives exactly libspng's bytes (and the source samples) for every filter
/// type, odd widths, RGB and RGBA, SIMD and scalar, split IDAT data; and leaves every file it cannot
/// vouch for (bad CRC or Adler-32, short or long stream, bad filter, other layouts) to libspng, whose
/// outcome is then the preprocessor's: pixels or an <see cref="IpIqaException"/>, never a crash.
/// </summary>
public sealed class PngFastPathTests
{
    private const long MaxPixels = 64_000_000;

    public static TheoryData<int, int, int, int, bool> Layouts()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        foreach (var (width, height) in new[] { (1, 1), (2, 3), (3, 5), (4, 4), (5, 2), (7, 9), (13, 6), (33, 17), (64, 3) })
        {
            foreach (var channels in new[] { 3, 4 })
            {
                foreach (var filter in new[] { 0, 1, 2, 3, 4, FilteredPng.Mixed })
                {
                    data.Add(width, height, channels, filter, true);
                    data.Add(width, height, channels, filter, false);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void FastPath_GivesTheSamplesAndLibspngsBytes(int width, int height, int channels, int filter, bool simd)
    {
        RequireLibraries();
        var pixels = FilteredPng.RandomPixels(width, height, channels, seed: (width * 31) + height + filter);
        var png = FilteredPng.Encode(pixels, width, height, channels, filter);

        using var fast = PngFastPath.TryDecode(png, width, height, MaxPixels, simd);
        using var spng = LibSpngDecoder.Decode(png, width, height, MaxPixels);

        Assert.NotNull(fast);
        Assert.Equal(FilteredPng.Rgbx(pixels, width, height, channels), fast.Pixels.ToArray());
        Assert.Equal(spng.Pixels.ToArray(), fast.Pixels.ToArray());
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(7, 3)]
    [InlineData(40, 4)]
    [InlineData(300, 3)]
    public void DataSplitOverManyIdatChunks_AndAncillaryChunksBeforeIt_DecodeLikeLibspng(int pieces, int channels)
    {
        RequireLibraries();
        const int width = 61, height = 23;
        var pixels = FilteredPng.RandomPixels(width, height, channels, seed: pieces);
        var zlib = FilteredPng.Zlib(FilteredPng.FilterRows(pixels, width, height, channels, FilteredPng.Mixed));
        var png = FilteredPng.Build(width, height, channels, zlib, pieces, before: Ancillary);

        using var fast = PngFastPath.TryDecode(png, width, height, MaxPixels);
        using var spng = LibSpngDecoder.Decode(png, width, height, MaxPixels);

        Assert.NotNull(fast);
        Assert.Equal(FilteredPng.Rgbx(pixels, width, height, channels), fast.Pixels.ToArray());
        Assert.Equal(spng.Pixels.ToArray(), fast.Pixels.ToArray());
    }

    /// <summary>A generator's prompt, pHYs, and two malformed chunks libspng 0.7 skips (it decodes such files).</summary>
    private static readonly (string, byte[])[] Ancillary =
        [("tEXt", "parameters\0a prompt, steps: 20"u8.ToArray()), ("pHYs", new byte[9]), ("tEXt", "\0no keyword"u8.ToArray()), ("gAMA", new byte[2])];

    public static TheoryData<string> Doubtful() => new(Mutations.Keys);

    /// <summary>Files the fast path must leave to libspng; the preprocessor's outcome is then libspng's.</summary>
    [Theory]
    [MemberData(nameof(Doubtful))]
    public void DoubtfulFile_IsLeftToLibspng_AndDecodesOrFailsCleanly(string mutation)
    {
        RequireLibraries();
        const int width = 29, height = 11;
        var pixels = FilteredPng.RandomPixels(width, height, 3, seed: 5);
        var png = Mutations[mutation](pixels, width, height);

        Assert.Null(PngFastPath.TryDecode(png, width, height, MaxPixels));
        Assert.Equal(Outcome(() => LibSpngDecoder.Decode(png, width, height, MaxPixels)), Outcome(() => Preprocessor().Decode(png)));
    }

    [Fact]
    public void BadCrcOnAMiddleIdat_IsUndecodable_AsWithLibspng()
    {
        RequireLibraries();
        var png = Mutations["bad CRC on a middle IDAT"](FilteredPng.RandomPixels(29, 11, 3, 5), 29, 11);

        var error = Assert.Throws<IpIqaException>(() => Preprocessor().Decode(png).Dispose());

        Assert.Equal(ErrorCodes.ImageUndecodable, error.Code);
    }

    [Fact]
    public void HighlyCompressibleFrameOverThePixelCap_IsRefusedBeforeInflating()
    {
        RequireLibraries();
        const int side = 2000; // 4 M pixels of zeros: about 12 KB of zlib
        var png = FilteredPng.Build(side, side, 3, FilteredPng.Zlib(new byte[side * ((side * 3) + 1)]));
        var preprocessor = new ImagePreprocessor(new ImagingOptions { Limits = new ImageLimits { MaxPixels = 1_000_000 } });
        var spec = ClipNormalisation.Spec(16);

        var error = Assert.Throws<IpIqaException>(() => preprocessor.Preprocess(png, spec, new float[spec.TensorLength]));

        Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
        Assert.True(png.Length < 64 * 1024, $"{png.Length} bytes");
    }

    [Fact]
    public void DecoderDescription_NamesTheFastPath()
    {
        RequireLibraries();

        Assert.Contains("png=libspng/libdeflate", Preprocessor().DecoderDescription, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, Func<byte[], int, int, byte[]>> Mutations = new()
    {
        ["bad CRC on a middle IDAT"] = (p, w, h) => FlipCrc(Split(p, w, h, 3), "IDAT", 1),
        ["bad CRC on the last IDAT"] = (p, w, h) => FlipCrc(Split(p, w, h, 3), "IDAT", 2),
        ["bad Adler-32"] = (p, w, h) => FilteredPng.Build(w, h, 3, Tweak(Zlib(p, w, h), z => z[^1] ^= 0x55)),
        ["zlib stream cut in half"] = (p, w, h) => FilteredPng.Build(w, h, 3, Zlib(p, w, h)[..(Zlib(p, w, h).Length / 2)]),
        ["stream longer than the rows"] = (p, w, h) => FilteredPng.Build(w, h, 3, FilteredPng.Zlib([.. Filtered(p, w, h), .. new byte[(w * 3) + 1]])),
        ["bytes after the zlib stream"] = (p, w, h) => FilteredPng.Build(w, h, 3, [.. Zlib(p, w, h), 1, 2, 3]),
        ["filter type 5"] = (p, w, h) => FilteredPng.Build(w, h, 3, FilteredPng.Zlib(Tweak(Filtered(p, w, h), f => f[(w * 3) + 1] = 5))),
        ["16 KiB zlib window"] = (p, w, h) => FilteredPng.Build(w, h, 3, Tweak(Zlib(p, w, h), z => (z[0], z[1]) = (0x68, 0x81))),
        ["chunk after the image data"] = (p, w, h) => FilteredPng.Build(w, h, 3, Zlib(p, w, h), after: [("tEXt", "k\0v"u8.ToArray())]),
        ["tRNS"] = (p, w, h) => FilteredPng.Build(w, h, 3, Zlib(p, w, h), before: [("tRNS", new byte[6])]),
        ["suggested PLTE"] = (p, w, h) => FilteredPng.Build(w, h, 3, Zlib(p, w, h), before: [("PLTE", new byte[6])]),
        ["Adam7"] = (p, w, h) => FilteredPng.Build(w, h, 3, Zlib(p, w, h), interlace: 1),
    };

    private static byte[] Filtered(byte[] pixels, int width, int height) => FilteredPng.FilterRows(pixels, width, height, 3, FilteredPng.Mixed);

    private static byte[] Zlib(byte[] pixels, int width, int height) => FilteredPng.Zlib(Filtered(pixels, width, height));

    private static byte[] Split(byte[] pixels, int width, int height, int pieces) => FilteredPng.Build(width, height, 3, Zlib(pixels, width, height), pieces);

    private static byte[] Tweak(byte[] data, Action<byte[]> change)
    {
        change(data);
        return data;
    }

    /// <summary>Flips the CRC of the <paramref name="index"/>-th chunk of <paramref name="type"/>.</summary>
    private static byte[] FlipCrc(byte[] png, string type, int index)
    {
        var offset = 8;
        var seen = 0;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            if (png.AsSpan(offset + 4, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(type)) && seen++ == index)
            {
                png[offset + 8 + length] ^= 0xFF;
                return png;
            }

            offset += 12 + length;
        }

        throw new InvalidOperationException($"no {type} #{index}");
    }

    private static ImagePreprocessor Preprocessor() => new(new ImagingOptions());

    private static string Outcome(Func<RgbxImage> decode)
    {
        try
        {
            using var image = decode();
            return Convert.ToHexString(image.Pixels);
        }
        catch (IpIqaException error)
        {
            return error.Code;
        }
    }

    private static void RequireLibraries() => Assert.True(
        NativeCodecs.LibSpngAvailable && NativeCodecs.LibDeflateAvailable,
        "libspng.so.0 and libdeflate.so.0 must load: install libspng0 and libdeflate0 (see .ci/apt-packages.txt).");
}
