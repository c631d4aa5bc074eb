using System.Text.Json;
using IpIqa.Imaging.Benchmarks;

namespace IpIqa.Imaging.Tests;

public sealed class PreprocessBenchmarkTests
{
    [Fact]
    public void Run_ProcessesEveryFileEveryRound_AndReportsTheJsonContract()
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions());
        var files = new[] { HostileCorpus.Jpeg(), HostileCorpus.Png(), HostileCorpus.WebP() };
        var result = new PreprocessBenchmark(preprocessor, preprocessor.DecoderDescription)
            .Run(files, ClipNormalisation.Spec(16), threads: 2, rounds: 4, CancellationToken.None);

        Assert.Equal(12, result.Images);
        Assert.Equal(2, result.Threads);
        Assert.Equal(16, result.Size);
        Assert.True(result.MsPerImage > 0 && result.ImagesPerSecond > 0);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result));
        foreach (var key in new[] { "images", "ms_per_image", "images_per_s", "threads", "size", "decoder" })
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), $"missing '{key}'");
        }

        var gc = json.RootElement.GetProperty("gc");
        Assert.True(gc.GetProperty("allocated_kb_per_image").GetDouble() >= 0);
        Assert.True(gc.GetProperty("pause_ms_per_image").GetDouble() >= 0);
        Assert.True(gc.GetProperty("gen0").GetInt32() >= gc.GetProperty("gen1").GetInt32(), "a gen-1 collection counts in gen 0 too");
    }

    [Fact]
    public void GcSnapshot_CountsTheBytesAllocatedSinceIt_PerImage()
    {
        var start = GcSnapshot.Take();
        var kept = new byte[4][];
        for (var i = 0; i < kept.Length; i++)
        {
            kept[i] = new byte[256 * 1024];
        }

        var share = GcSnapshot.Since(start, images: 4);

        Assert.True(share.AllocatedKbPerImage >= 256, $"4 × 256 KB over 4 images read {share.AllocatedKbPerImage} KB per image");
        GC.KeepAlive(kept);
    }

    [Fact]
    public void Run_WithAPoisonFile_SurfacesItsErrorCode()
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions());
        var error = Assert.Throws<Core.Errors.IpIqaException>(() => new PreprocessBenchmark(preprocessor, "test")
            .Run([[]], ClipNormalisation.Spec(16), threads: 1, rounds: 1, CancellationToken.None));
        Assert.Equal(Core.Errors.ErrorCodes.ImageEmpty, error.Code);
    }
}
