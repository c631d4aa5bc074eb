using System.Globalization;
using System.Text.RegularExpressions;
using IpIqa.Core.Contracts;
using IpIqa.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>The HTML report opened in headless Chromium: its inline SVG charts draw the binned counts, with no network.</summary>
public sealed class ReportRenderingTests : IDisposable
{
    private readonly TempDirectory _temp = new("rescore-report");

    public void Dispose() => _temp.Dispose();

    private static readonly string[] Colours = ["four orange", "two blue", "a red", "three green", "a striped"];
    private static readonly VerdictCalculator Verdicts = new(new Thresholds(0.4, 0.5));
    private static readonly string[] Things = ["crosses", "cups", "kites", "apples", "chairs", "lamps", "boats"];

    internal static RescoreReportData SampleReport(int count, int seed)
    {
        var random = new Random(seed);
        RescoreRecord Record(int i, double shift)
        {
            var failed = i % 97 == 0;
            var motif = i % 40;
            var quality = Math.Clamp((random.NextDouble() + random.NextDouble()) / 2 + shift, 0, 1);
            var alignment = Math.Clamp(quality * 0.6 + random.NextDouble() * 0.4 - (motif < 4 ? 0.25 : 0), 0, 1);
            var verdict = Verdicts.Decide(new Scores(quality, alignment));
            return new RescoreRecord
            {
                Key = $"gallery/{i:D7}.png",
                Location = $"https://account.blob.core.windows.net/gallery/{i:D7}.png",
                Version = "etag",
                ModelHash = "hash",
                Prompt = $"{Colours[motif % Colours.Length]} {Things[motif % Things.Length]} on a white table, variant {motif}",
                Status = failed ? RescoreRecord.StatusFailed : RescoreRecord.StatusScored,
                Quality = failed ? null : quality,
                Alignment = failed ? null : alignment,
                Verdict = failed ? null : verdict.Outcome,
                FailedChecks = failed || verdict.Failed.Count == 0 ? null : string.Join(';', verdict.Failed),
                ErrorCode = failed ? (i % 2 == 0 ? "image_undecodable" : "prompt_missing") : null,
                ErrorMessage = failed ? "example failure" : null,
            };
        }

        var previous = Enumerable.Range(0, count).Select(i => Record(i, 0)).ToArray();
        var records = Enumerable.Range(0, count).Select(i => Record(i, 0.05)).ToArray();
        var worst = records.Where(r => r.Quality is not null).OrderBy(r => r.Quality).Take(6)
            .Select((r, i) => new ReportThumbnail(r.Key, r.Prompt, r.Quality!.Value, r.Alignment!.Value, ReportThumbnails.Thumbnail(Png(i))))
            .ToArray();
        return new RescoreReportData("20261126-010000-abcdef", "blob:https://account.blob.core.windows.net/gallery/", "ipiqa-reference@0.0.1 (abc)", records, "20261125-010000-fedcba", previous, worst, new Thresholds(0.4, 0.5));
    }

    private static byte[] Png(int seed)
    {
        using var image = new Image<Rgb24>(200, 120);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                image[x, y] = new Rgb24((byte)(x + (seed * 40)), (byte)(y * 2), (byte)(seed * 60));
            }
        }

        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    [RequiresChromiumFact]
    public async Task TheReport_RendersItsChartsInHeadlessChromium()
    {
        var data = SampleReport(400, seed: 7);
        var html = _temp.Combine("report.html");
        File.WriteAllText(html, RescoreReport.Render(data));

        var dom = await Chromium.RunAsync(html, "--dump-dom", _temp.Combine("profile"), TimeSpan.FromSeconds(90), "--virtual-time-budget=5000");

        Assert.Matches("<body[^>]*data-rendered=\"true\"", dom);
        var summary = ReportSummary.Of(data.Records, data.Previous, data.Thresholds);
        foreach (var (id, now, then) in new[] { ("hist-quality", summary.QualityNow, summary.QualityBefore!), ("hist-alignment", summary.AlignmentNow, summary.AlignmentBefore!) })
        {
            var svg = ChartDom.Svg(dom, id);
            ChartDom.AssertDraws(now, ChartDom.Bars(svg, ChartDom.NowFill));
            ChartDom.AssertDraws(then, ChartDom.Bars(svg, ChartDom.ThenFill));
            Assert.Equal(2, ChartDom.ThresholdPaths(svg)); // the threshold line and its legend swatch
        }

        var scatter = ChartDom.Svg(dom, "scatter");
        Assert.Equal(2, ChartDom.ThresholdPaths(scatter)); // one line per threshold, no legend
        Assert.Single(Regex.Matches(scatter, "<image[^>]*href=\"data:image/png;base64,"));
        var scored = data.Records.Count(r => r.Quality is not null);
        Assert.Equal(scored, new[] { "passed", "quality only", "alignment only", "both" }.Sum(label => ChartDom.Labelled(scatter, label)));
        Assert.Equal(6, Regex.Matches(dom, "data:image/jpeg;base64,").Count);
        Assert.Contains("image_undecodable", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", Regex.Replace(File.ReadAllText(html), "xmlns(:xlink)?=\"http://www.w3.org/[0-9]+/(svg|xlink)\"", ""), StringComparison.Ordinal);
    }

    [RequiresChromiumFact]
    public async Task TheRenderedReport_ShowsTheThresholds_TheVerdictCounts_AndTheAxisLabels()
    {
        var data = SampleReport(1_000, seed: 5);
        var html = _temp.Combine("report.html");
        File.WriteAllText(html, RescoreReport.Render(data));
        if (Environment.GetEnvironmentVariable("IPIQA_REPORT_HTML") is { Length: > 0 } copy)
        {
            File.Copy(html, copy, overwrite: true); // the source of docs/rescore-report.png (docs/rescoring.md)
        }

        var dom = await Chromium.RunAsync(html, "--dump-dom", _temp.Combine("profile"), TimeSpan.FromSeconds(90), "--virtual-time-budget=5000");

        var now = data.Records.ToList();
        var then = data.Previous!.ToList();
        Assert.Equal("0.4", Text(dom, "b", "threshold-quality"));
        Assert.Equal("0.5", Text(dom, "b", "threshold-alignment"));
        Assert.Equal(now.Count(r => r.Quality is not null).ToString(CultureInfo.InvariantCulture), Text(dom, "td", "count-scored"));
        Assert.Equal(now.Count(r => r.Verdict == "fail").ToString(CultureInfo.InvariantCulture), Text(dom, "td", "count-rejected"));
        Assert.Equal(now.Count(r => r.Status == RescoreRecord.StatusFailed).ToString(CultureInfo.InvariantCulture), Text(dom, "td", "count-errors"));
        var change = now.Count(r => r.Verdict == "fail") - then.Count(r => r.Verdict == "fail");
        Assert.Equal(change.ToString("+#;-#;0", CultureInfo.InvariantCulture), Text(dom, "td", "change-rejected"));
        var changed = now.Zip(then).Count(p => p.First.Quality is not null && p.Second.Quality is not null && p.First.Verdict != p.Second.Verdict);
        Assert.Equal(changed.ToString(CultureInfo.InvariantCulture), Text(dom, "td", "cause-scores"));
        Assert.Equal(Math.Min(ReportRejections.Limit, now.Count(r => r.Verdict == "fail")), Regex.Matches(dom, "<figure class=\"thumb rejected\"").Count);
        var scatter = ChartDom.Svg(dom, "scatter");
        Assert.Equal(now.Count(r => r.Verdict == "pass"), ChartDom.Labelled(scatter, "passed"));
        Assert.Equal(now.Count(r => r.Quality < 0.4 && r.Alignment >= 0.5), ChartDom.Labelled(scatter, "quality only"));
        Assert.Equal(now.Count(r => r.Quality >= 0.4 && r.Alignment < 0.5), ChartDom.Labelled(scatter, "alignment only"));
        Assert.Equal(now.Count(r => r.Quality < 0.4 && r.Alignment < 0.5), ChartDom.Labelled(scatter, "both"));
        foreach (var (id, labels) in new[] { ("hist-quality", new[] { "quality", "images", "this run", "previous run", "threshold 0.4" }), ("hist-alignment", ["alignment", "images", "threshold 0.5"]), ("scatter", ["quality", "alignment"]) })
        {
            var texts = ChartDom.Texts(ChartDom.Svg(dom, id));
            Assert.All(labels, label => Assert.Contains(label, texts));
            Assert.True(texts.Count(t => double.TryParse(t, CultureInfo.InvariantCulture, out _)) >= 8, $"{id} has too few tick labels: {string.Join(", ", texts)}");
        }
    }

    [Fact]
    public void A_run_with_no_scores_gets_its_charts_with_axes_and_no_bars()
    {
        var data = SampleReport(20, seed: 3);
        var enqueued = data.Records.Select(r => r with { Status = "enqueued", Quality = null, Alignment = null, Verdict = null, FailedChecks = null, ErrorCode = null }).ToArray();

        var html = RescoreReport.Render(data with { Records = enqueued, Previous = null, PreviousRunId = null });

        foreach (var (id, label) in new[] { ("hist-quality", "images"), ("hist-alignment", "images"), ("scatter", "alignment") })
        {
            var svg = ChartDom.Svg(html, id);
            Assert.Contains(label, ChartDom.Texts(svg));
            Assert.Empty(ChartDom.Bars(svg, ChartDom.NowFill));
        }
    }

    private static string Text(string dom, string element, string id) =>
        Regex.Match(dom, $"<{element}[^>]*id=\"{id}\"[^>]*>(?<text>[^<]*)</{element}>").Groups["text"].Value;
}
