using System.Globalization;
using System.Text;

namespace IpIqa.Training.Training;

/// <summary>The compact line printed after each epoch: loss, lr, held-out metrics, images/s, ETA.</summary>
public static class ProgressLine
{
    public static string Format(string stage, int epoch, int epochs, int step, double trainLoss, double lr, EpochEvaluation evaluation, double imagesPerSecond, TimeSpan eta, bool best)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{stage} epoch {epoch + 1,3}/{epochs} step {step,6}  loss {trainLoss:F4}  lr {lr:0.0e+0}  {evaluation.Split} loss {evaluation.Loss:F4}");
        if (evaluation.Predictions is { } predictions)
        {
            for (var output = 0; output < predictions.Outputs; output++)
            {
                var m = predictions.Metrics(output);
                line.Append(CultureInfo.InvariantCulture, $"  {Predictions.OutputNames[output][0]} srcc {m.Srcc ?? double.NaN:F3} plcc {m.Plcc ?? double.NaN:F3}");
            }
        }

        line.Append(CultureInfo.InvariantCulture, $"  {imagesPerSecond:F0} img/s  ETA {(int)eta.TotalMinutes}m{eta.Seconds:00}s");
        if (best)
        {
            line.Append("  *");
        }

        return line.ToString();
    }
}
