using System.Globalization;
using System.Text;

namespace IpIqa.Training.Training;

/// <summary>
/// <c>metrics.csv</c> of a run: one row per (step, split) with the loss, SRCC/PLCC/KRCC per output and the
/// learning rate. On resume, rows past the checkpoint's step are dropped, so the file matches the model.
/// </summary>
public sealed class MetricsLog
{
    public const string FileName = "metrics.csv";
    public const string Header = "step,epoch,split,loss,srcc_quality,plcc_quality,krcc_quality,srcc_alignment,plcc_alignment,krcc_alignment,lr";

    private readonly string _path;

    public MetricsLog(string runFolder, int? resumeStep)
    {
        _path = Path.Combine(runFolder, FileName);
        if (resumeStep is { } step && File.Exists(_path))
        {
            var kept = File.ReadAllLines(_path).Skip(1).Where(line => RowStep(line) <= step);
            File.WriteAllLines(_path, [Header, .. kept]);
        }
        else
        {
            File.WriteAllText(_path, Header + "\n");
        }
    }

    public string FilePath => _path;

    public void Add(int step, int epoch, string split, double loss, double lr, Predictions? predictions = null)
    {
        var row = new StringBuilder();
        row.Append(CultureInfo.InvariantCulture, $"{step},{epoch},{split},{Format(loss)}");
        for (var output = 0; output < 2; output++)
        {
            var metrics = predictions is not null && output < predictions.Outputs ? predictions.Metrics(output) : null;
            row.Append(CultureInfo.InvariantCulture, $",{Format(metrics?.Srcc)},{Format(metrics?.Plcc)},{Format(metrics?.Krcc)}");
        }

        row.Append(CultureInfo.InvariantCulture, $",{Format(lr)}");
        File.AppendAllText(_path, row.Append('\n').ToString());
    }

    /// <summary>The rows of a run folder's metrics.csv as (step, epoch, split, loss).</summary>
    public static IReadOnlyList<(int Step, int Epoch, string Split, double Loss)> ReadLosses(string runFolder) =>
        File.ReadAllLines(System.IO.Path.Combine(runFolder, FileName)).Skip(1).Select(line => line.Split(','))
            .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), f[2], double.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToArray();

    private static int RowStep(string line) =>
        int.TryParse(line.AsSpan(0, Math.Max(line.IndexOf(',', StringComparison.Ordinal), 0)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : int.MaxValue;

    private static string Format(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("G9", CultureInfo.InvariantCulture) : string.Empty;
}
