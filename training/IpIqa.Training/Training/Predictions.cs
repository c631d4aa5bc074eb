using IpIqa.Training.Data;

namespace IpIqa.Training.Training;

/// <summary>Predicted scores of a sample set, row by row with the samples, and their metrics per output.</summary>
public sealed record Predictions(IReadOnlyList<IqaSample> Samples, double[][] Predicted, double Loss)
{
    public static readonly string[] OutputNames = ["quality", "alignment"];

    public int Outputs => Predicted.Length == 0 ? 0 : Predicted[0].Length;

    public double[] Mos(int output) => Samples.Select(s => output == 0 ? s.Quality : s.Alignment ?? double.NaN).ToArray();

    public double[] Column(int output) => Predicted.Select(row => row[output]).ToArray();

    public OutputMetrics Metrics(int output) => OutputMetrics.Of(Column(output), Mos(output));

    /// <summary>The official selection score: the sum of the aggregates of every output.</summary>
    public double Score => Enumerable.Range(0, Outputs).Sum(o => Metrics(o).Aggregate);
}
