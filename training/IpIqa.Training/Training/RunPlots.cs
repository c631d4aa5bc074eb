using System.Globalization;
using ScottPlot;

namespace IpIqa.Training.Training;

/// <summary>The PNG plots of a run: the learning curve from metrics.csv and a predicted-vs-MOS scatter per output.</summary>
public static class RunPlots
{
    public const string LearningCurveFile = "learning_curve.png";

    public static string ScatterFile(string output) => $"scatter_{output}.png";

    /// <summary>Writes <c>learning_curve.png</c> (when metrics.csv exists) and <c>scatter_*.png</c> into <paramref name="folder"/>.</summary>
    public static void Write(string folder, Predictions predictions)
    {
        var metricsPath = Path.Combine(folder, MetricsLog.FileName);
        if (File.Exists(metricsPath))
        {
            LearningCurve(metricsPath, Path.Combine(folder, LearningCurveFile));
        }

        for (var output = 0; output < predictions.Outputs; output++)
        {
            var name = Predictions.OutputNames[output];
            Scatter(predictions.Column(output), predictions.Mos(output), name, predictions.Metrics(output), Path.Combine(folder, ScatterFile(name)));
        }
    }

    /// <summary>Writes the learning curve of <paramref name="metricsCsv"/> to <paramref name="pngPath"/>.</summary>
    public static void LearningCurve(string metricsCsv, string pngPath)
    {
        using var plot = LearningCurvePlot(metricsCsv);
        plot.SavePng(pngPath, 900, 540);
    }

    /// <summary>
    /// The learning curve: loss per split against the optimiser step, with whole-number step ticks, the
    /// 1-based epoch each evaluation closed on the top axis, and the legend outside the data area (#15).
    /// </summary>
    public static Plot LearningCurvePlot(string metricsCsv)
    {
        var rows = File.ReadAllLines(metricsCsv).Skip(1).Select(line => line.Split(',')).Where(f => f.Length > 3 && f[3].Length > 0).ToArray();
        var plot = new Plot();
        foreach (var split in rows.Select(f => f[2]).Distinct(StringComparer.Ordinal))
        {
            var points = rows.Where(f => f[2] == split).ToArray();
            var xs = points.Select(f => double.Parse(f[0], CultureInfo.InvariantCulture)).ToArray();
            var ys = points.Select(f => double.Parse(f[3], CultureInfo.InvariantCulture)).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"{split} loss";
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var epochs = new ScottPlot.TickGenerators.NumericManual();
        foreach (var end in rows.GroupBy(f => int.Parse(f[1], CultureInfo.InvariantCulture)).OrderBy(g => g.Key))
        {
            epochs.AddMajor(end.Max(f => double.Parse(f[0], CultureInfo.InvariantCulture)), (end.Key + 1).ToString(CultureInfo.InvariantCulture));
        }

        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.Top.TickGenerator = epochs;
        plot.Axes.Top.Min = limits.Left;
        plot.Axes.Top.Max = limits.Right;
        plot.Title("learning curve (top axis: epoch, at its last step)");
        plot.XLabel("optimiser step");
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    public static void Scatter(double[] predicted, double[] mos, string output, OutputMetrics metrics, string pngPath)
    {
        using var plot = new Plot();
        var markers = plot.Add.Markers(mos, predicted);
        markers.MarkerSize = 4;
        var low = Math.Min(mos.Min(), predicted.Min());
        var high = Math.Max(mos.Max(), predicted.Max());
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.LinePattern = LinePattern.Dashed;
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{output}: SRCC {metrics.Srcc ?? double.NaN:F3}  PLCC {metrics.Plcc ?? double.NaN:F3}  n {metrics.N}"));
        plot.XLabel($"MOS ({output})");
        plot.YLabel($"predicted ({output})");
        plot.SavePng(pngPath, 640, 600);
    }
}
