using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// The process, not one decode, is bounded: sixteen 8000×8000 bombs and sixteen 9-megapixel files at
/// parallelism 8 keep the resident peak under the pixel budget, and the memory goes back afterwards.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class ProcessMemoryTests(ITestOutputHelper output)
{
    private const int Side = 3000;
    private const long Megabyte = 1024 * 1024;

    /// <summary>Allowance for the runtime, the JIT and the test's own buffers on top of the decodes.</summary>
    private const long Margin = 128 * Megabyte;

    [Fact]
    public void ThirtyTwoHostileAndLargeFilesAtParallelismEight_StayUnderTheBudget_AndGiveTheMemoryBack()
    {
        const long budgetPixels = (long)Side * Side * 5 / 2; // two large images at once, not three
        var preprocessor = new ImagePreprocessor(new ImagingOptions { Limits = new ImageLimits { MaxPixelsInFlight = budgetPixels } });
        var spec = ClipNormalisation.Spec(224);
        var bomb = PngBuilder.Build(8000, 8000, 8, 2, [new byte[1]]);
        var uniform = (Func<int, int, Rgba32>)((x, y) => new Rgba32((byte)(x / 16), (byte)(y / 16), 90, 255));
        byte[][] large = [HostileCorpus.Encode(new PngEncoder(), Side, Side, uniform), HostileCorpus.Encode(new JpegEncoder { Quality = 80 }, Side, Side, uniform)];
        var files = Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? bomb : large[i / 2 % 2]).ToArray();

        Preprocess(preprocessor, large[1], spec); // JIT and native libraries load before the baseline
        ProcessMemory.Settle();
        var baseline = ProcessMemory.Resident();
        ProcessMemory.ResetPeak();

        var codes = new string?[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            try
            {
                Preprocess(preprocessor, files[i], spec);
            }
            catch (IpIqaException e)
            {
                codes[i] = e.Code;
            }
        });
        var peak = ProcessMemory.Peak() - baseline;
        ProcessMemory.Settle();
        var after = ProcessMemory.Resident() - baseline;

        var allowed = (budgetPixels * PixelBudget.BytesPerPixel) + Margin;
        output.WriteLine($"baseline {baseline / Megabyte} MB, peak +{peak / Megabyte} MB (allowed +{allowed / Megabyte} MB), after +{after / Megabyte} MB");
        Assert.True(peak <= allowed, $"the resident peak rose {peak / Megabyte} MB over the baseline; the budget allows {allowed / Megabyte} MB");
        Assert.True(after <= 64 * Megabyte, $"after the decodes the process still holds {after / Megabyte} MB over its baseline (GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / Megabyte} MB)");

        // A bomb over the whole budget is refused as too large before its data is even looked at.
        Assert.All(codes.Where((_, i) => i % 2 == 0), c => Assert.Contains(c, new[] { ErrorCodes.ImageTruncated, ErrorCodes.ImageTooLarge }));
        Assert.All(codes.Where((_, i) => i % 2 == 1), Assert.Null);
    }

    private static void Preprocess(ImagePreprocessor preprocessor, byte[] file, PreprocessSpec spec) =>
        preprocessor.Preprocess(file, spec, new float[spec.TensorLength]);
}
