using System.Globalization;
using IpIqa.Core.Contracts;
using ScottPlot;

namespace IpIqa.Rescoring;

/// <summary>
/// The report's charts, drawn with ScottPlot to SVG in C# and inlined in the HTML (#15): no script and no
/// network. They are drawn from the counts of <see cref="ReportBins"/>, never from one value per image, so a
/// chart's size does not grow with the run. Histograms count images per bin on a ticked y-axis, with the
/// previous run overlaid in grey; the quality-vs-alignment density shades each cell by its number of images
/// (log scale) and splits the plane into the verdict quadrants at the thresholds, each labelled with its count.
/// The thresholds are dashed red lines.
/// </summary>
internal static class ReportCharts
{
    public const int Width = 460;
    public const int Height = 260;

    /// <summary>The fill of this run's bars: an SVG reader (or test) can tell them from the previous run's.</summary>
    public static readonly Color Now = Color.FromHex("#2A6FDB").WithAlpha(0.75);

    public static readonly Color Then = Color.FromHex("#888888").WithAlpha(0.45);

    public static readonly Color ThresholdColor = Color.FromHex("#CC0000");

    /// <summary>A histogram of <paramref name="now"/> (and <paramref name="then"/>) over <paramref name="range"/>, as an <c>&lt;svg id="<paramref name="id"/>"&gt;</c> element.</summary>
    public static string Histogram(string id, string output, (double Low, double High) range, long[] now, long[]? then, double? threshold)
    {
        ArgumentNullException.ThrowIfNull(now);
        using var plot = new Plot();
        var width = (range.High - range.Low) / now.Length;
        var top = Math.Max(1, Math.Max(now.DefaultIfEmpty().Max(), then?.DefaultIfEmpty().Max() ?? 0));
        if (then is not null)
        {
            Bars(plot, then, range.Low, width, Then, "previous run");
        }

        Bars(plot, now, range.Low, width, Now, "this run");
        if (threshold is { } t && double.IsFinite(t))
        {
            Threshold(plot.Add.VerticalLine(t), t);
        }

        plot.Axes.SetLimits(range.Low, range.High, 0, top * 1.1);
        plot.XLabel(output);
        plot.YLabel("images");
        plot.ShowLegend(Alignment.UpperLeft);
        return Svg(plot, id);
    }

    /// <summary>The quality-vs-alignment density of <paramref name="summary"/>, with the verdict quadrants at <paramref name="thresholds"/>.</summary>
    public static string Density(string id, ReportSummary summary, Thresholds? thresholds)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var plot = new Plot();
        var (x, y) = (summary.QualityRange, summary.AlignmentRange);
        var cells = new double[ReportBins.DensityRows, ReportBins.DensityColumns];
        for (var row = 0; row < ReportBins.DensityRows; row++)
        {
            for (var column = 0; column < ReportBins.DensityColumns; column++)
            {
                var n = summary.Density[(row * ReportBins.DensityColumns) + column];
                cells[ReportBins.DensityRows - 1 - row, column] = n == 0 ? double.NaN : Math.Log(1 + n); // the first row of the array is drawn on top
            }
        }

        if (summary.Density.Any(n => n > 0))
        {
            var heatmap = plot.Add.Heatmap(cells);
            heatmap.Colormap = new ScottPlot.Colormaps.Matter();
            heatmap.NaNCellColor = Colors.Transparent;
            heatmap.Extent = new CoordinateRect(x.Low, x.High, y.Low, y.High);
        }

        if (thresholds?.Quality is { } q && double.IsFinite(q))
        {
            Threshold(plot.Add.VerticalLine(q), q);
        }

        if (thresholds?.Alignment is { } a && double.IsFinite(a))
        {
            Threshold(plot.Add.HorizontalLine(a), a);
        }

        Quadrants(plot, summary.Verdicts, thresholds, x, y);
        plot.Axes.SetLimits(x.Low, x.High, y.Low, y.High);
        plot.XLabel("quality");
        plot.YLabel("alignment");
        plot.HideLegend(); // the quadrant labels name what the lines split
        return Svg(plot, id);
    }

    /// <summary>Labels each verdict quadrant, where both thresholds are set and fall inside the chart, with its number of images.</summary>
    private static void Quadrants(Plot plot, VerdictCounts verdicts, Thresholds? thresholds, (double Low, double High) x, (double Low, double High) y)
    {
        if (thresholds?.Quality is not { } q || thresholds.Alignment is not { } a || q <= x.Low || q >= x.High || a <= y.Low || a >= y.High)
        {
            return;
        }

        Label(plot, $"passed {verdicts.Passed}", x.High, y.High, Alignment.UpperRight);
        Label(plot, $"quality only {verdicts.Quality}", x.Low, y.High, Alignment.UpperLeft);
        Label(plot, $"alignment only {verdicts.Alignment}", x.High, y.Low, Alignment.LowerRight);
        Label(plot, $"both {verdicts.Both}", x.Low, y.Low, Alignment.LowerLeft);
    }

    private static void Label(Plot plot, string text, double x, double y, Alignment alignment)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelAlignment = alignment;
        label.LabelFontSize = 11;
        label.LabelFontColor = Colors.Black;
        label.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
    }

    /// <summary>One bar per non-empty bin; none at all for a run with no scores (nothing to draw, and no legend entry).</summary>
    private static void Bars(Plot plot, long[] counts, double low, double width, Color fill, string legend)
    {
        var bars = new List<Bar>();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                bars.Add(new Bar { Position = low + ((i + 0.5) * width), Value = counts[i], Size = width, FillColor = fill, LineWidth = 0 });
            }
        }

        if (bars.Count > 0)
        {
            var plottable = plot.Add.Bars(bars);
            plottable.Color = fill;
            plottable.LegendText = legend;
        }
    }

    private static void Threshold(ScottPlot.Plottables.AxisLine line, double value)
    {
        line.Color = ThresholdColor;
        line.LineWidth = 1.5f;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "threshold " + value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The plot as an SVG element with <paramref name="id"/> and the class <c>chart</c>, ready to inline: the ids
    /// inside it (clip paths, the density's image) are prefixed with <paramref name="id"/>, as each chart numbers
    /// them from the same start and one HTML document holds three.
    /// </summary>
    private static string Svg(Plot plot, string id)
    {
        plot.Font.Set("DejaVu Sans"); // the font the text is measured with; a browser without it falls back to its sans-serif
        var svg = plot.GetSvgXml(Width, Height)
            .Replace("font-family=\"DejaVu Sans\"", "font-family=\"DejaVu Sans, sans-serif\"", StringComparison.Ordinal)
            .Replace("<image ", "<image style=\"image-rendering:pixelated\" ", StringComparison.Ordinal)
            .Replace(" id=\"", $" id=\"{id}-", StringComparison.Ordinal)
            .Replace("url(#", $"url(#{id}-", StringComparison.Ordinal)
            .Replace("href=\"#", $"href=\"#{id}-", StringComparison.Ordinal);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return string.Concat("<svg id=\"", id, "\" class=\"chart\"", svg.AsSpan(start + 4));
    }
}
