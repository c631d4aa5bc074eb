using System.Globalization;
using System.Text.RegularExpressions;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Reads the report's ScottPlot charts (<see cref="ReportCharts"/>) back from a rendered DOM: bars, texts, threshold lines.</summary>
internal static partial class ChartDom
{
    /// <summary>This run's bar fill and the previous run's, as the SVG writes them.</summary>
    public const string NowFill = "#2A6FDB";
    public const string ThenFill = "#888";

    /// <summary>The <c>&lt;svg id="<paramref name="id"/>"&gt;</c> element of <paramref name="dom"/>; empty when there is none.</summary>
    public static string Svg(string dom, string id) =>
        Regex.Match(dom, $"<svg id=\"{id}\"[^>]*>.*?</svg>", RegexOptions.Singleline).Value;

    /// <summary>
    /// The (x, height) of each bar filled with <paramref name="fill"/>, left to right: the rectangles that stand on
    /// the x-axis (the legend's swatch of the same fill does not).
    /// </summary>
    public static (double X, double Height)[] Bars(string svg, string fill)
    {
        var rects = Regex.Matches(svg, $"<rect fill=\"{fill}\"[^>]*x=\"(?<x>[-0-9.e]+)\" y=\"(?<y>[-0-9.e]+)\"[^>]*height=\"(?<h>[-0-9.e]+)\"")
            .Select(m => (X: D(m.Groups["x"].Value), Bottom: D(m.Groups["y"].Value) + D(m.Groups["h"].Value), Height: D(m.Groups["h"].Value))).ToArray();
        var axis = rects.Select(r => r.Bottom).DefaultIfEmpty().Max();
        return [.. rects.Where(r => Math.Abs(r.Bottom - axis) < 0.01).Select(r => (r.X, r.Height)).OrderBy(r => r.X)];
    }

    /// <summary>Every text drawn in <paramref name="svg"/>, trimmed.</summary>
    public static string[] Texts(string svg) =>
        [.. TextPattern().Matches(svg).Select(m => m.Groups["text"].Value.Trim())];

    /// <summary>How many shapes <paramref name="svg"/> paints in the threshold colour (a dashed line is a path of dashes).</summary>
    public static int ThresholdPaths(string svg) => Regex.Matches(svg, "<path fill=\"#C00\"").Count;

    /// <summary>
    /// Asserts that <paramref name="bars"/> draw <paramref name="counts"/>: one bar per non-empty bin, in bin order,
    /// each as tall as its count on the scale of the tallest, within a pixel (the renderer snaps edges to pixels).
    /// </summary>
    public static void AssertDraws(long[] counts, (double X, double Height)[] bars)
    {
        var filled = counts.Where(c => c > 0).ToArray();
        Assert.Equal(filled.Length, bars.Length);
        var tallest = bars.Zip(filled).MaxBy(p => p.Second);
        var scale = tallest.First.Height / tallest.Second;
        Assert.All(bars.Zip(filled), p => Assert.Equal(p.Second * scale, p.First.Height, 1.0));
    }

    /// <summary>The number in the text "<paramref name="label"/> N" of <paramref name="svg"/>; -1 when there is none.</summary>
    public static long Labelled(string svg, string label) =>
        Texts(svg).Where(t => t.StartsWith(label + " ", StringComparison.Ordinal)).Select(t => long.Parse(t[(label.Length + 1)..], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Single();

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex("<text[^>]*>(?<text>[^<]*)</text>")]
    private static partial Regex TextPattern();
}
