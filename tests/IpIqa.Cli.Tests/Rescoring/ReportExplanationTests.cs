using System.Text.RegularExpressions;
using IpIqa.Core.Contracts;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using IpIqa.Rescoring;
using IpIqa.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// The report's explained rejected images (<c>--explain N</c>, #15) in headless Chromium: each overlay is an image
/// that decodes, the words the image does not support are shown, and at the cap the report stays within its budget.
/// </summary>
public sealed partial class ReportExplanationTests : IDisposable
{
    private const int Budget = 5 * 1024 * 1024; // ReportScaleTests' bound for a million-image run

    /// <summary>The report's script marks each overlay <c>data-decoded</c> when its decode settles, decoded or failed.</summary>
    private const string Ready = "document.body.getAttribute('data-rendered') === 'true' && Array.prototype.every.call(document.querySelectorAll('img.overlay'), function (img) { return img.hasAttribute('data-decoded'); })";
    private readonly TempDirectory _temp = new("rescore-report-explain");

    public void Dispose() => _temp.Dispose();

    /// <summary>The sample report with its <see cref="ReportExplanations.MaxCount"/> worst rejections explained: noisy 512 px overlays (JPEG's worst case), the last prompt word unsupported, one refused.</summary>
    private static RescoreReportData Explained(int count)
    {
        var data = ReportRenderingTests.SampleReport(count, seed: 5);
        var random = new Random(3);
        var explained = new Dictionary<string, ReportExplanation>(StringComparer.Ordinal);
        var worst = ReportExplanations.Worst(data.Records, data.Thresholds!, ReportExplanations.MaxCount);
        for (var i = 0; i < worst.Count; i++)
        {
            var record = worst[i];
            var map = new AttentionMap(7, [.. Enumerable.Range(0, 49).Select(_ => random.NextSingle())]);
            var overlay = ReportThumbnails.Thumbnail(AttentionOverlay.RenderPng(Noise(random), map));
            var split = WordAttribution.Split(record.Prompt!);
            var words = split.Select((w, j) => new WordAttribution(w, 0.5, j == split.Length - 1 ? -0.01 * (i + 1) : 0.02)).ToArray();
            var explanation = i == 0
                ? new ResultExplanation("o.png", "a.json", new ResultError(ExplainCodes.TooManyWords, "The prompt has 40 words."))
                : new ResultExplanation("o.png", "a.json") { Words = words };
            explained[record.Key] = new ReportExplanation(record.Key, overlay, explanation);
        }

        return data with { Explained = explained };
    }

    private static byte[] Noise(Random random)
    {
        using var image = new Image<Rgb24>(512, 512);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    [RequiresChromiumFact]
    public async Task The_explained_rejections_show_overlays_that_decode_and_the_unsupported_words()
    {
        var data = Explained(1_000);
        var html = _temp.Combine("report.html");
        await File.WriteAllTextAsync(html, RescoreReport.Render(data), TestContext.Current.CancellationToken);

        // The overlays decode asynchronously (img.decode()); the DOM is read once the report's script has marked every
        // one, however long that takes under load, rather than after a virtual-time budget that a slow decode outlasts.
        var dom = await ChromiumDevTools.DumpDomWhenAsync(html, Ready, _temp.Combine("profile"), TimeSpan.FromSeconds(90));

        Assert.Equal(ReportExplanations.MaxCount, data.Explained.Count);
        var decoded = DecodedPattern().Matches(dom).Select(m => m.Groups["size"].Value).ToArray();
        Assert.Equal(ReportExplanations.MaxCount, decoded.Length);
        Assert.All(decoded, size => Assert.Equal($"{ReportThumbnails.MaxSide}x{ReportThumbnails.MaxSide}", size));
        foreach (var (key, explained) in data.Explained)
        {
            var figure = Regex.Match(dom, $"<div class=\"explanation\" data-key=\"{Regex.Escape(key)}\">.*?</div>", RegexOptions.Singleline).Value;
            Assert.Contains("data-decoded=", figure, StringComparison.Ordinal);
            if (explained.Explanation!.Words is { } words)
            {
                var shown = UnsupportedPattern().Matches(figure).Select(m => m.Groups["word"].Value);
                Assert.Equal(words.Where(w => w.Unsupported).Select(w => w.Word), shown);
            }
            else
            {
                Assert.Contains(ExplainCodes.TooManyWords, figure, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void At_the_cap_the_report_stays_within_its_size_budget()
    {
        var plain = RescoreReport.Render(ReportRenderingTests.SampleReport(10_000, seed: 5)).Length;
        var explained = RescoreReport.Render(Explained(10_000)).Length;
        TestContext.Current.TestOutputHelper?.WriteLine($"report.html: {plain} characters, {explained} with {ReportExplanations.MaxCount} explanations");

        Assert.True(explained < Budget, $"{explained} characters");
        Assert.InRange(explained - plain, 1, ReportExplanations.MaxCount * 40 * 1024);
    }

    [GeneratedRegex("<img class=\"overlay\"[^>]*data-decoded=\"(?<size>[^\"]+)\"")]
    private static partial Regex DecodedPattern();

    [GeneratedRegex("<b class=\"unsupported-word\"[^>]*>(?<word>[^<]*)</b>")]
    private static partial Regex UnsupportedPattern();
}
