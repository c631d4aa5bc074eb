using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace IpIqa.Training.Training;

/// <summary>Mean ± sample standard deviation of the held-out metrics over splits: <c>summary.json</c> and a table.</summary>
public static class FinetuneSummary
{
    public const string FileName = "summary.json";

    public static void Write(string runFolder, TrainingOptions options, IReadOnlyList<SplitResult> results, TextWriter log)
    {
        var outputs = results[0].Outputs.Count;
        var root = new JsonObject { ["protocol"] = options.Protocol, ["splits"] = results.Count };
        var table = new Table().AddColumns("output", "SRCC", "PLCC", "KRCC", "n (per split)");
        for (var output = 0; output < outputs; output++)
        {
            var name = Predictions.OutputNames[output];
            var node = new JsonObject();
            var cells = new List<string> { name };
            foreach (var (metric, pick) in new (string, Func<OutputMetrics, double?>)[] { ("srcc", m => m.Srcc), ("plcc", m => m.Plcc), ("krcc", m => m.Krcc) })
            {
                var values = results.Select(r => pick(r.Outputs[output]) ?? double.NaN).ToArray();
                var (mean, std) = MeanStd(values);
                node[metric] = new JsonObject { ["mean"] = mean, ["std"] = std, ["values"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]) };
                cells.Add(Cell(values));
            }

            node["n"] = results[0].Outputs[output].N;
            cells.Add(results[0].Outputs[output].N.ToString(CultureInfo.InvariantCulture));
            root[name] = node;
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }

        root["best_epochs"] = new JsonArray([.. results.Select(r => JsonValue.Create(r.BestEpoch))]);
        File.WriteAllText(Path.Combine(runFolder, FileName), root.ToJsonString(new() { WriteIndented = true }));
        log.WriteLine($"held-out prompts, {options.Protocol} protocol, {results.Count} split(s):");
        AnsiConsole.Write(table);
    }

    /// <summary>A table cell: the mean ± the sample standard deviation, or the one value alone when there is one split (#15).</summary>
    public static string Cell(IReadOnlyList<double> values)
    {
        var (mean, std) = MeanStd(values);
        return values.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{mean:F4} ± {std:F4}") : string.Create(CultureInfo.InvariantCulture, $"{mean:F4}");
    }

    /// <summary>Mean and sample standard deviation (0 for one value).</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, std);
    }
}
