using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// The report at a million images: its charts still draw the binned counts in headless Chromium, and its size is
/// bounded and does not grow with the number of images (#19).
/// </summary>
public sealed class ReportScaleTests : IDisposable
{
    private const int Rows = 1_000_000;

    private static readonly Lazy<(string Html, ReportSummary Summary)> Million = new(() =>
    {
        var data = ReportRenderingTests.SampleReport(Rows, seed: 11);
        var summary = ReportSummary.Of(data.Records, data.Previous, data.Thresholds);
        return (RescoreReport.Render(data, summary), summary);
    });

    private readonly TempDirectory _temp = new("rescore-report-scale");

    public void Dispose() => _temp.Dispose();

    [RequiresChromiumFact]
    public async Task TheReport_DrawsItsChartsInHeadlessChromium_AtAMillionRows()
    {
        var (text, summary) = Million.Value;
        var html = _temp.Combine("report.html");
        await File.WriteAllTextAsync(html, text, TestContext.Current.CancellationToken);

        var dom = await Chromium.RunAsync(html, "--dump-dom", _temp.Combine("profile"), TimeSpan.FromSeconds(120), "--virtual-time-budget=5000");

        Assert.Matches("<body[^>]*data-rendered=\"true\"", dom);
        foreach (var (id, now, then) in new[] { ("hist-quality", summary.QualityNow, summary.QualityBefore!), ("hist-alignment", summary.AlignmentNow, summary.AlignmentBefore!) })
        {
            var svg = ChartDom.Svg(dom, id);
            ChartDom.AssertDraws(now, ChartDom.Bars(svg, ChartDom.NowFill));
            ChartDom.AssertDraws(then, ChartDom.Bars(svg, ChartDom.ThenFill));
        }

        var scatter = ChartDom.Svg(dom, "scatter");
        Assert.Equal(summary.Scored, new[] { "passed", "quality only", "alignment only", "both" }.Sum(label => ChartDom.Labelled(scatter, label)));
        Assert.True(summary.Scored > Rows / 2, $"{summary.Scored} scored");
    }

    [Fact]
    public void TheReportSize_IsBoundedAndDoesNotGrowWithTheRows()
    {
        var small = RescoreReport.Render(ReportRenderingTests.SampleReport(10_000, seed: 11)).Length;
        var large = Million.Value.Html.Length;
        TestContext.Current.TestOutputHelper?.WriteLine($"report.html: {small} characters at 10k images, {large} at {Rows}");

        Assert.True(large < 5 * 1024 * 1024, $"the report at {Rows} images is {large} characters");
        Assert.True(Math.Abs(large - small) < 32 * 1024, $"the report grew from {small} characters at 10k images to {large} at {Rows}");
    }
}
