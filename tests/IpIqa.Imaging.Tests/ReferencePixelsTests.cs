using System.Text.Json;
using IpIqa.TestSupport;

namespace IpIqa.Imaging.Tests;

public sealed class ReferencePixelsTests(ITestOutputHelper output)
{
    private const string Manifest = "ipiqa-reference/manifest.json";
    private const string Pixels = "ipiqa-reference/pixels.f32";

    public static TheoryData<int, bool> SampleIndexes()
    {
        var data = new TheoryData<int, bool>();
        var path = Fixtures.PathOf(Manifest);
        var count = File.Exists(path) ? ReadManifest().Samples.Length : 6;
        for (var i = 0; i < count; i++)
        {
            data.Add(i, true);
            data.Add(i, false);
        }

        return data;
    }

    [FixtureTheory(Manifest, Pixels, "ipiqa-reference/images")]
    [MemberData(nameof(SampleIndexes))]
    public void Preprocess_ReferenceImage_MatchesOfficialPixelsWithinABitOfAByte(int index, bool nativeCodecs)
    {
        var manifest = ReadManifest();
        var shape = manifest.Shape;
        Assert.Equal(4, shape.Length);
        Assert.Equal(3, shape[1]);
        Assert.Equal(shape[2], shape[3]);
        var size = shape[2];
        var length = 3 * size * size;
        var reference = Fixtures.ReadF32(Pixels).AsSpan(index * length, length).ToArray();

        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = nativeCodecs });
        if (nativeCodecs)
        {
            Assert.True(
                preprocessor.DecoderDescription.Contains("jpeg=turbojpeg", StringComparison.Ordinal) && preprocessor.DecoderDescription.Contains("webp=libwebp", StringComparison.Ordinal)
                    && preprocessor.DecoderDescription.Contains("png=libspng", StringComparison.Ordinal),
                $"Native codecs did not load ({preprocessor.DecoderDescription}): install libturbojpeg0, libwebp7 and libspng0 (see .ci/apt-packages.txt).");
        }

        var actual = new float[length];
        var bytes = File.ReadAllBytes(Fixtures.PathOf("ipiqa-reference", manifest.Samples[index]));
        preprocessor.Preprocess(bytes, ClipNormalisation.Spec(size), actual);

        double sum = 0, worst = 0;
        var plane = size * size;
        for (var i = 0; i < length; i++)
        {
            var diff = Math.Abs(ClipNormalisation.ToByteScale(actual[i], i / plane) - ClipNormalisation.ToByteScale(reference[i], i / plane));
            sum += diff;
            worst = Math.Max(worst, diff);
        }

        var mean = sum / length;
        output.WriteLine($"{manifest.Samples[index]}: mean |diff| = {mean:F4} (0-255 scale), max = {worst:F2}, decoders: {preprocessor.DecoderDescription}");
        // The managed JPEG decoder upsamples chroma differently from libjpeg; its measured gap
        // (0.71 on img00.jpg) is documented in docs/imaging.md and bounded here so it cannot grow.
        var isManagedJpeg = !nativeCodecs && manifest.Samples[index].EndsWith(".jpg", StringComparison.OrdinalIgnoreCase);
        var bound = isManagedJpeg ? 1.0 : 0.3;
        Assert.True(mean <= bound, $"{manifest.Samples[index]}: mean absolute difference {mean:F4} exceeds {bound} on the 0-255 scale");
    }

    private static (string[] Samples, int[] Shape) ReadManifest()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(Manifest)));
        var samples = doc.RootElement.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("image").GetString()!).ToArray();
        var shape = doc.RootElement.GetProperty("tensors").GetProperty("pixels").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return (samples, shape);
    }
}
