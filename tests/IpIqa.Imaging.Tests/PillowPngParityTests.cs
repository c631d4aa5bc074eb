using System.Text.Json;
using IpIqa.TestSupport;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// Every PNG layout (palette with and without tRNS, grey at 1/2/4/8/16 bits, grey+alpha, RGB, RGBA,
/// 16-bit colour, Adam7, tRNS on grey and RGB, gAMA/cHRM/sBIT/iCCP present) decodes to exactly the
/// bytes Pillow's <c>convert("RGB")</c> gives, with libspng and with the ImageSharp fallback.
/// The files and Pillow's bytes come from <c>tests/fixtures/png-pillow/make.py</c>.
/// </summary>
public sealed class PillowPngParityTests
{
    private const string Manifest = "png-pillow/manifest.json";

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in File.Exists(Fixtures.PathOf(Manifest)) ? ReadNames() : ["rgb8"])
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        return data;
    }

    [FixtureTheory(Manifest)]
    [MemberData(nameof(Cases))]
    public void Png_DecodesToPillowsConvertRgbBytesExactly(string name, bool native)
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });
        var decoder = native ? "png=libspng" : "png=imagesharp";
        Assert.True(
            preprocessor.DecoderDescription.Contains(decoder, StringComparison.Ordinal),
            $"Expected {decoder}, got '{preprocessor.DecoderDescription}': install libspng0 (see .ci/apt-packages.txt).");
        var expected = File.ReadAllBytes(Fixtures.PathOf("png-pillow", name + ".rgb"));

        using var image = preprocessor.Decode(File.ReadAllBytes(Fixtures.PathOf("png-pillow", name + ".png")));

        Assert.Equal(expected.Length, image.Width * image.Height * 3);
        var pixels = image.Pixels;
        for (var i = 0; i < image.Width * image.Height; i++)
        {
            var (r, g, b) = (pixels[i * 4], pixels[(i * 4) + 1], pixels[(i * 4) + 2]);
            var (er, eg, eb) = (expected[i * 3], expected[(i * 3) + 1], expected[(i * 3) + 2]);
            Assert.True(
                (r, g, b) == (er, eg, eb),
                $"{name} ({decoder}): pixel ({i % image.Width},{i / image.Width}) is ({r},{g},{b}), Pillow gives ({er},{eg},{eb})");
        }
    }

    private static string[] ReadNames()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(Manifest)));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
    }
}
