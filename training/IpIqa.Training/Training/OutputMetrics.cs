using IpIqa.Core.Metrics;

namespace IpIqa.Training.Training;

/// <summary>SRCC, PLCC and KRCC of one output against its MOS (null where a coefficient is undefined).</summary>
public sealed record OutputMetrics(double? Srcc, double? Plcc, double? Krcc, int N)
{
    public static OutputMetrics Of(ReadOnlySpan<double> predicted, ReadOnlySpan<double> mos) =>
        new(Correlation.Spearman(predicted, mos), Correlation.Pearson(predicted, mos), Correlation.KendallTauB(predicted, mos), predicted.Length);

    /// <summary>SRCC + PLCC + KRCC, the official model-selection score (undefined coefficients count as 0).</summary>
    public double Aggregate => (Srcc ?? 0) + (Plcc ?? 0) + (Krcc ?? 0);
}
