using System.Globalization;
using System.Text;
using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// The report's answers (#15): the thresholds and verdict counts with their change since the previous
/// run, verdict changes by cause with the images that moved most, the rejected images by margin, and
/// the prompts rejected most. Every list is bounded; prompts, keys and messages are HTML-escaped, and
/// a prompt is cut to <see cref="PromptChars"/> characters.
/// </summary>
internal static class ReportSections
{
    public const int PromptChars = 300;
    public const int TopPrompts = 20;

    public static void AppendVerdicts(StringBuilder html, ReportSummary summary, Thresholds? thresholds)
    {
        html.Append("<section id=\"verdicts\"><h2>Verdicts</h2><p>Thresholds in force: quality &ge; <b id=\"threshold-quality\">")
            .Append(T(thresholds?.Quality)).Append("</b>, alignment &ge; <b id=\"threshold-alignment\">").Append(T(thresholds?.Alignment))
            .Append("</b></p><table id=\"verdict-counts\"><tr><th>outcome</th><th>images</th><th>since previous run</th></tr>");
        var (now, then) = (summary.Verdicts, summary.HasPrevious ? summary.VerdictsThen : null);
        Row(html, "scored", "scored", now.Scored, then?.Scored);
        Row(html, "passed", "passed", now.Passed, then?.Passed);
        Row(html, "rejected", "rejected", now.Rejected, then?.Rejected);
        Row(html, "quality", "&nbsp;&nbsp;by quality only", now.Quality, then?.Quality);
        Row(html, "alignment", "&nbsp;&nbsp;by alignment only", now.Alignment, then?.Alignment);
        Row(html, "both", "&nbsp;&nbsp;by both", now.Both, then?.Both);
        Row(html, "errors", "errors", now.Errors, then?.Errors);
        html.Append("</table></section>");
    }

    public static void AppendDriftCauses(StringBuilder html, ReportDrift drift, Thresholds? previousThresholds = null)
    {
        ArgumentNullException.ThrowIfNull(drift);
        html.Append("<p>Previous run's thresholds: ").Append(previousThresholds is null
                ? "<span id=\"previous-thresholds\">not recorded</span> (a run from before thresholds were kept)"
                : $"<span id=\"previous-thresholds\">quality &ge; {T(previousThresholds.Quality)}, alignment &ge; {T(previousThresholds.Alignment)}</span>")
            .Append("</p><table id=\"drift-causes\"><tr><th>verdicts changed because</th><th>images</th></tr>")
            .Append("<tr><td>the model changed</td><td id=\"cause-model\">").Append(drift.ByModel).Append("</td></tr>")
            .Append("<tr><td>the scores moved (same model)</td><td id=\"cause-scores\">").Append(drift.ByScores).Append("</td></tr>")
            .Append(drift.ThresholdsRead ? "<tr><td>the thresholds changed (as each run recorded them)</td><td id=\"cause-thresholds\">" : "<tr><td>the thresholds changed (same scores; inferred)</td><td id=\"cause-thresholds\">").Append(drift.ByThresholds).Append("</td></tr></table>");
        var moved = drift.MostMoved();
        if (moved.Count == 0)
        {
            html.Append("<p>No scores moved.</p>");
            return;
        }

        html.Append("<h3>Scores that moved most</h3><table id=\"most-moved\"><tr><th>image</th><th>quality</th><th>alignment</th><th>verdict</th><th>prompt</th></tr>");
        foreach (var m in moved)
        {
            html.Append("<tr><td>").Append(RescoreReport.Iso(m.Now.Key)).Append("</td><td>").Append(F(m.Before.Quality)).Append(" &rarr; ").Append(F(m.Now.Quality))
                .Append("</td><td>").Append(F(m.Before.Alignment)).Append(" &rarr; ").Append(F(m.Now.Alignment))
                .Append("</td><td>").Append(E(m.Before.Verdict ?? "")).Append(" &rarr; ").Append(E(m.Now.Verdict ?? ""))
                .Append("</td><td>").Append(Prompt(m.Now.Prompt)).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    /// <summary>Appends the rejected images by margin; returns the keys whose thumbnails it embedded, so they are embedded once.</summary>
    public static HashSet<string> AppendRejected(StringBuilder html, ReportRejections rejections, long rejected, IReadOnlyList<ReportThumbnail> thumbnails, IReadOnlyDictionary<string, ReportExplanation>? explained = null)
    {
        var pictured = new HashSet<string>(StringComparer.Ordinal);
        var worst = rejections.Worst();
        html.Append("<h2>Rejected, furthest below the thresholds</h2><p>").Append(worst.Count).Append(" of ").Append(rejected)
            .Append(" rejected images, by margin (threshold minus score, for the output furthest below).</p><div class=\"worst\" id=\"rejected\">");
        var pictures = thumbnails.Where(t => t.JpegBase64 is not null).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().JpegBase64!, StringComparer.Ordinal);
        foreach (var (record, margin) in worst)
        {
            var kind = VerdictCounts.Kind(record);
            html.Append("<figure class=\"thumb rejected\"><span class=\"badge ").Append(kind).Append("\">").Append(kind == "both" ? "quality + alignment" : kind).Append("</span>");
            if (pictures.TryGetValue(record.Key, out var jpeg) && pictured.Add(record.Key))
            {
                html.Append("<img alt=\"").Append(E(record.Key)).Append("\" src=\"data:image/jpeg;base64,").Append(jpeg).Append("\">");
            }

            html.Append("<figcaption><b>").Append(RescoreReport.Iso(record.Key)).Append("</b><br>margin <span class=\"margin\">").Append(F(margin)).Append("</span><br>quality ")
                .Append(F(record.Quality)).Append(", alignment ").Append(F(record.Alignment)).Append("<br><i>").Append(Prompt(record.Prompt)).Append("</i>");
            if (explained is not null && explained.TryGetValue(record.Key, out var explanation))
            {
                ReportExplanationHtml.Append(html, explanation);
            }

            html.Append("</figcaption></figure>");
        }

        html.Append("</div>");
        return pictured;
    }

    public static void AppendPrompts(StringBuilder html, PromptHeavyHitters prompts)
    {
        html.Append("<h2>Prompts rejected most</h2>");
        var top = prompts.Top(TopPrompts);
        if (top.Count == 0)
        {
            html.Append("<p>No rejected images.</p>");
            return;
        }

        html.Append("<table id=\"prompts\"><tr><th>prompt</th><th>rejected images</th><th>share of rejections</th></tr>");
        foreach (var (prompt, count, error) in top)
        {
            html.Append("<tr><td>").Append(prompt.Length == 0 ? "<i>(no prompt)</i>" : Prompt(prompt)).Append("</td><td class=\"count\">").Append(count);
            if (error > 0)
            {
                html.Append(" (at most ").Append(error).Append(" over)");
            }

            html.Append("</td><td>").Append((100.0 * count / prompts.Total).ToString("F1", CultureInfo.InvariantCulture)).Append("%</td></tr>");
        }

        html.Append("</table><p class=\"note\">Counted with a Space-Saving sketch of ").Append(PromptHeavyHitters.Counters)
            .Append(" prompts: exact while a run has no more distinct rejected prompts than that.</p>");
    }

    private static void Row(StringBuilder html, string id, string label, long now, long? then)
    {
        html.Append("<tr><td>").Append(label).Append("</td><td id=\"count-").Append(id).Append("\">").Append(now).Append("</td><td id=\"change-").Append(id).Append("\">")
            .Append(then is { } t ? (now - t).ToString("+#;-#;0", CultureInfo.InvariantCulture) : "&mdash;").Append("</td></tr>");
    }

    public static string Prompt(string? prompt) =>
        RescoreReport.Iso(prompt is { Length: > PromptChars } ? string.Concat(prompt.AsSpan(0, PromptChars), "…") : prompt ?? "");

    private static string T(double? threshold) =>
        threshold is { } t ? t.ToString("R", CultureInfo.InvariantCulture) : "none";

    private static string F(double? value) => RescoreReport.F(value ?? double.NaN);

    private static string E(string text) => RescoreReport.E(text);
}
