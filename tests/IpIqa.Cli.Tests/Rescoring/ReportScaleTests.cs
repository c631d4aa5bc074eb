using System.Globalization;
using System.Text.RegularExpressions;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// The report at a million images: its charts still draw in headless Chromium, and its size is
/// bounded and does not grow with the number of images (#19).
/// </summary>
public sealed partial class ReportScaleTests : IDisposable
{
    private const int Rows = 1_000_000;

    private static readonly Lazy<(string Html, int Scored, int PreviousScored)> Million = new(() =>
    {
        var data = ReportRenderingTests.SampleReport(Rows, seed: 11);
        return (RescoreReport.Render(data), data.Records.Count(r => r.Quality is not null), data.Previous!.Count(r => r.Quality is not null));
    });

    private readonly TempDirectory _temp = new("rescore-report-scale");

    public void Dispose() => _temp.Dispose();

    [RequiresChromiumFact]
    public async Task TheReport_DrawsItsChartsInHeadlessChromium_AtAMillionRows()
    {
        var (text, scored, previousScored) = Million.Value;
        var html = _temp.Combine("report.html");
        await File.WriteAllTextAsync(html, text, TestContext.Current.CancellationToken);

        var dom = await Chromium.RunAsync(html, "--dump-dom", _temp.Combine("profile"), TimeSpan.FromSeconds(120), "--virtual-time-budget=5000");

        Assert.Matches("<body[^>]*data-rendered=\"true\"", dom);
        foreach (var id in new[] { "hist-quality", "hist-alignment", "scatter" })
        {
            Assert.Matches($"<svg[^>]*id=\"{id}\"[^>]*data-rendered=\"true\"", dom);
        }

        Assert.Equal(scored, Counted(CellPattern(), dom));
        Assert.Equal(2L * (scored + previousScored), Counted(BarPattern(), dom));
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

    private static long Counted(Regex pattern, string dom) =>
        pattern.Matches(dom).Sum(m => long.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("<rect(?=[^>]*class=\"cell\")[^>]*data-n=\"(?<n>[0-9]+)\"")]
    private static partial Regex CellPattern();

    [GeneratedRegex("<rect(?=[^>]*class=\"bar\")[^>]*data-n=\"(?<n>[0-9]+)\"")]
    private static partial Regex BarPattern();
}
