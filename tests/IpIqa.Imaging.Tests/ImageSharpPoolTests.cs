using IpIqa.Core.Imaging;
using IpIqa.Imaging.Benchmarks;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// The managed (ImageSharp) decode path reuses its frame memory: without a pool every 1024² frame was a new
/// native block reported with GC.AddMemoryPressure, which induced a gen-2 collection every other image (#16).
/// Counts collections, not time; runs alone, since collections are counted for the whole process.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class ImageSharpPoolTests(ITestOutputHelper output)
{
    private const int Images = 16;

    [Fact]
    public void SixteenManagedDecodesOf1024Png_InduceNoGen2Collection()
    {
        var gc = Decode(ImageLimits.Default);

        Assert.Equal(0, gc.Gen2);
    }

    [Fact]
    public void WithoutThePool_TheSameDecodesInduceGen2Collections()
    {
        // The measurement above can fail: with no pool (the setting before #16) the same loop collects gen 2.
        var gc = Decode(ImageLimits.Default with { DecoderPoolMegabytes = 0 });

        Assert.True(gc.Gen2 > 0, "no gen-2 collection without the pool: the test no longer sees the pressure it guards against");
    }

    private GcShare Decode(ImageLimits limits)
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions { Limits = limits, UseNativeCodecs = false });
        var png = HostileCorpus.Encode(new PngEncoder(), 1024, 1024, (x, y) => new Rgba32((byte)x, (byte)y, (byte)(x ^ y), 255));
        var spec = ClipNormalisation.Spec(224);
        var pixels = new float[spec.TensorLength];
        preprocessor.Preprocess(png, spec, pixels); // warm-up: JIT, the pool's first frame
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var start = GcSnapshot.Take();
        for (var i = 0; i < Images; i++)
        {
            preprocessor.Preprocess(png, spec, pixels);
        }

        var gc = GcSnapshot.Since(start, Images);
        output.WriteLine($"pool {limits.DecoderPoolMegabytes} MB: {gc.AllocatedKbPerImage} KB per image, gen0/1/2 {gc.Gen0}/{gc.Gen1}/{gc.Gen2}, pause {gc.PauseMsPerImage} ms per image");
        return gc;
    }
}
