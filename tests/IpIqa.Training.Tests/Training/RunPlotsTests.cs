using System.Globalization;
using IpIqa.TestSupport;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>The learning curve's axes and legend (#15).</summary>
public sealed class RunPlotsTests : IDisposable
{
    private readonly TempDirectory _temp = new("run-plots");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void LearningCurve_OfAShortRun_HasWholeStepTicks_OneBasedEpochs_AndTheLegendOutsideTheData()
    {
        // Three epochs of one step each: a step axis from 1 to 3 that an automatic axis would tick at 1.5, 2.5.
        var csv = _temp.Combine(MetricsLog.FileName);
        File.WriteAllLines(csv,
        [
            MetricsLog.Header,
            .. Enumerable.Range(0, 3).SelectMany(epoch => new[]
            {
                string.Create(CultureInfo.InvariantCulture, $"{epoch + 1},{epoch},train,{1.0 / (epoch + 1)},,,,,,,0.001"),
                string.Create(CultureInfo.InvariantCulture, $"{epoch + 1},{epoch},val,{1.2 / (epoch + 1)},,,,,,,0.001"),
            }),
        ]);

        using var plot = RunPlots.LearningCurvePlot(csv);
        plot.RenderInMemory(900, 540);

        var steps = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Position).ToArray();
        Assert.NotEmpty(steps);
        Assert.All(steps, position => Assert.Equal(Math.Round(position), position));
        var epochs = plot.Axes.Top.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.Equal([1.0, 2.0, 3.0], epochs.Select(t => t.Position));
        Assert.Equal(["1", "2", "3"], epochs.Select(t => t.Label));
        Assert.False(plot.Legend.IsVisible); // not drawn inside the data area
        Assert.Single(plot.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>());
    }
}
