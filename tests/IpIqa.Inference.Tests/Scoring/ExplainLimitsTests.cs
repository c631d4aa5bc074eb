using IpIqa.Core.Batching;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using IpIqa.Core.Jobs;
using IpIqa.Imaging;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Inference.Tests.Scoring;

/// <summary>
/// An explanation's overlay reads and decodes its image a second time, after the item scored. It meets the engine's
/// own limits (the operator's <c>IpIqa:Preprocessing</c> caps, not the defaults), and an image that fails them
/// then fails its own item with the code, instead of throwing out of the job.
/// </summary>
public sealed class ExplainLimitsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ipiqa-explain-limits-").FullName;

    [Fact]
    public async Task An_image_replaced_after_scoring_by_one_over_the_operators_lowered_pixel_cap_gets_no_overlay_but_its_code()
    {
        var path = WritePng("photo.png", 32, 32);
        var limits = new ImageLimits { MaxPixels = 64 * 64 };

        // 100×100 is within the default cap (64 megapixels) and over this operator's (4096 pixels).
        var explained = await ExplainAsync(path, limits, () => WritePng("photo.png", 100, 100));

        Assert.Null(explained.Explanation);
        Assert.False(explained.Outcome.IsSuccess);
        Assert.Equal(ErrorCodes.ImageTooLarge, explained.Outcome.Error.Code);
        Assert.Contains("4096", explained.Outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_replaced_after_scoring_by_a_file_over_the_operators_lowered_byte_cap_gets_no_overlay_but_its_code()
    {
        var path = WritePng("photo.png", 8, 8);
        var limits = new ImageLimits { MaxBytes = new FileInfo(path).Length + 100 };

        var explained = await ExplainAsync(path, limits, () => File.AppendAllText(path, new string('x', 1000)));

        Assert.Null(explained.Explanation);
        Assert.Equal(ErrorCodes.ImageTooLarge, explained.Outcome.Error?.Code);
    }

    [Fact]
    public async Task An_image_deleted_after_scoring_fails_its_own_item_instead_of_throwing()
    {
        var path = WritePng("photo.png", 16, 16);

        var explained = await ExplainAsync(path, ImageLimits.Default, () => File.Delete(path));

        Assert.Null(explained.Explanation);
        Assert.Equal(ErrorCodes.ImageNotFound, explained.Outcome.Error?.Code);
    }

    [Fact]
    public async Task An_image_unchanged_since_scoring_gets_its_overlay_under_the_operators_caps()
    {
        var path = WritePng("photo.png", 32, 32);

        var explained = await ExplainAsync(path, new ImageLimits { MaxPixels = 32 * 32 }, () => { });

        Assert.True(explained.Outcome.IsSuccess);
        var overlay = Assert.IsType<Explanation>(explained.Explanation).OverlayPng;
        using var image = Image.Load<Rgb24>(overlay);
        Assert.Equal(AttentionOverlay.MaxSide, image.Width);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<ExplainedScore> ExplainAsync(string path, ImageLimits limits, Action afterScoring)
    {
        var session = new FakeModelSession(maxBatchSize: 2) { AttentionGrid = 2, AfterAttentionRun = afterScoring };
        using var metrics = new InferenceMetrics();
        await using var engine = new ScoringEngine(
            session,
            new FakeTokenizer(),
            new ImagePreprocessor(new ImagingOptions { Limits = limits }),
            new TextFeatureCache(10, metrics),
            metrics,
            new ScoringEngineOptions
            {
                Batching = new DynamicBatcherOptions { MaxBatchSize = 2, MaxQueueDelay = TimeSpan.FromMilliseconds(1) },
                Preprocessing = new PreprocessingOptions { MaxBytes = limits.MaxBytes, MaxPixels = limits.MaxPixels },
                MaxPromptBytes = 8,
            },
            NullLogger<ScoringEngine>.Instance);

        return await new EngineExplainer(engine).ScoreExplainedAsync(new ScorerInput(ImageInput.FromFile(path), "101"), "job", words: false, CancellationToken.None);
    }

    private string WritePng(string name, int width, int height)
    {
        var path = Path.Combine(_folder, name);
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 100, 50));
        image.SaveAsPng(path);
        return path;
    }
}
