using System.Globalization;
using System.Net;
using System.Text;

namespace IpIqa.Rescoring;

/// <summary>
/// The self-contained HTML report of a run: charts drawn here as inline SVG (<see cref="ReportCharts"/>) from
/// counts binned here (<see cref="ReportBins"/>; no network, and a size that does not grow with the run),
/// histograms, a quality-vs-alignment density, the worst images as embedded JPEG thumbnails,
/// failures by error code, and the drift from the previous run. The script marks the body
/// <c>data-rendered="true"</c> once it has run.
/// </summary>
internal static class RescoreReport
{
    public static string Render(RescoreReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Render(data, ReportSummary.Of(data.Records, data.Previous, data.Thresholds, data.PreviousThresholds));
    }

    /// <summary>The report of <paramref name="data"/> from its <paramref name="summary"/>, already gathered (its records are not read again).</summary>
    public static string Render(RescoreReportData data, ReportSummary summary)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(summary);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Rescoring run ").Append(E(data.RunId)).Append("</title><style>")
            .Append(ReportAssets.Css).Append("</style></head><body data-rendered=\"false\">");
        html.Append("<h1>Rescoring run ").Append(E(data.RunId)).Append("</h1><p>").Append(E(data.Source)).Append(" &middot; model ").Append(E(data.Model))
            .Append(" &middot; ").Append(summary.Total).Append(" images, ").Append(summary.Scored).Append(" scored, ")
            .Append(summary.Failed).Append(" failed, ")
            .Append(summary.Skipped).Append(" carried over unchanged</p>");
        ReportSections.AppendVerdicts(html, summary, data.Thresholds);
        html.Append("<div class=\"charts\"><figure><figcaption>Quality</figcaption>")
            .Append(ReportCharts.Histogram("hist-quality", "quality", summary.QualityRange, summary.QualityNow, summary.QualityBefore, data.Thresholds?.Quality))
            .Append("</figure><figure><figcaption>Alignment</figcaption>")
            .Append(ReportCharts.Histogram("hist-alignment", "alignment", summary.AlignmentRange, summary.AlignmentNow, summary.AlignmentBefore, data.Thresholds?.Alignment))
            .Append("</figure><figure><figcaption>Quality vs alignment (images per cell, darker is more; verdict quadrants at the thresholds)</figcaption>")
            .Append(ReportCharts.Density("scatter", summary, data.Thresholds)).Append("</figure></div>");
        AppendDrift(html, data, summary);
        ReportSections.AppendPrompts(html, summary.RejectedPrompts);
        var pictured = ReportSections.AppendRejected(html, summary.Rejections, summary.Verdicts.Rejected, data.Worst, data.Explained);
        AppendFailures(html, summary);
        AppendWorst(html, data.Worst, pictured);
        html.Append("<script>").Append(ReportAssets.Script).Append("</script></body></html>");
        return html.ToString();
    }

    private static void AppendDrift(StringBuilder html, RescoreReportData data, ReportSummary summary)
    {
        if (!summary.HasPrevious)
        {
            html.Append("<h2>Drift</h2><p>No previous run of this source.</p>");
            return;
        }

        html.Append("<h2>Drift since run ").Append(E(data.PreviousRunId ?? "")).Append("</h2><p>Verdicts changed: <b id=\"verdicts-changed\">")
            .Append(summary.VerdictsChanged).Append("</b> of ").Append(summary.InBoth).Append(" images in both runs.</p>")
            .Append("<table><tr><th>output</th><th>mean</th><th>&Delta; mean</th><th>median</th><th>&Delta; median</th></tr>");
        foreach (var (name, now, then) in new[] { ("quality", summary.Quality, summary.QualityThen), ("alignment", summary.Alignment, summary.AlignmentThen) })
        {
            var (median, medianThen) = (now.Median(), then.Median());
            html.Append("<tr><td>").Append(name).Append("</td><td>").Append(F(now.Mean)).Append("</td><td>").Append(F(now.Mean - then.Mean))
                .Append("</td><td>").Append(F(median)).Append("</td><td>").Append(F(median - medianThen)).Append("</td></tr>");
        }

        html.Append("</table><p class=\"note\">Histograms overlay the previous run in grey; dashed red lines mark the thresholds. Medians are read from ")
            .Append(ScoreSeries.MedianBins).Append(" bins over each run's range.</p>");
        ReportSections.AppendDriftCauses(html, summary.Drift, data.PreviousThresholds);
    }

    private static void AppendFailures(StringBuilder html, ReportSummary summary)
    {
        html.Append("<h2>Failures by error code</h2>");
        var failures = summary.Failures.ToArray();
        if (failures.Length == 0)
        {
            html.Append("<p>None.</p>");
            return;
        }

        html.Append("<table id=\"failures\"><tr><th>code</th><th>images</th><th>example</th></tr>");
        foreach (var (code, count, first) in failures)
        {
            html.Append("<tr><td><code>").Append(E(code)).Append("</code></td><td>").Append(count).Append("</td><td>")
                .Append(Iso(first.Key)).Append(": ").Append(Iso(first.ErrorMessage ?? "")).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void AppendWorst(StringBuilder html, IReadOnlyList<ReportThumbnail> worst, HashSet<string> pictured)
    {
        html.Append("<h2>Lowest quality</h2><div class=\"worst\">");
        foreach (var t in worst)
        {
            html.Append("<figure class=\"thumb\">");
            if (t.JpegBase64 is not null && !pictured.Contains(t.Key))
            {
                html.Append("<img alt=\"").Append(E(t.Key)).Append("\" src=\"data:image/jpeg;base64,").Append(t.JpegBase64).Append("\">");
            }

            html.Append("<figcaption><b>").Append(Iso(t.Key)).Append("</b><br>quality ").Append(F(t.Quality)).Append(", alignment ").Append(F(t.Alignment))
                .Append(pictured.Contains(t.Key) ? "<br>(pictured under Rejected)" : "").Append("<br><i>").Append(ReportSections.Prompt(t.Prompt)).Append("</i></figcaption></figure>");
        }

        html.Append("</div>");
    }

    internal static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    internal static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// Text a caller chose (an image's key, its prompt, an error message), encoded and bidi-isolated in element content: a
    /// right-to-left override in it reorders only itself, never the scores or verdicts shown beside it.
    /// </summary>
    internal static string Iso(string text) => string.Concat("<bdi>", E(text), "</bdi>");
}
