using System.Globalization;
using System.Text.Json.Nodes;
using IpIqa.Training.Evaluation;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary>Prints <c>evaluate --attribute-swaps</c>'s table and writes it into the metrics JSON.</summary>
internal static class AttributeSwapReport
{
    public static void Print(IReadOnlyList<SwapRow> rows, double gate, int seed)
    {
        var table = new Table().AddColumns(
            "swapped (only)", "pairs", "wins", "mean gap", $"still >= {gate.ToString("0.##", CultureInfo.InvariantCulture)}", "formula's gap", "goal");
        foreach (var row in rows)
        {
            table.AddRow(
                row.Label,
                row.Pairs.ToString(CultureInfo.InvariantCulture),
                row.Wins.ToString("P1", CultureInfo.InvariantCulture),
                row.MeanGap.ToString("+0.00;-0.00", CultureInfo.InvariantCulture),
                row.StillPassing.ToString("P0", CultureInfo.InvariantCulture),
                row.FormulaGap.ToString("+0.00;-0.00", CultureInfo.InvariantCulture),
                row.MeetsGoal ? "met" : "not met");
        }

        AnsiConsole.MarkupLineInterpolated($"attribute swaps (seed {seed}): each aligned image with its own prompt vs one that differs only in the row's attribute");
        AnsiConsole.MarkupLine("goal: wins >= 95% and mean gap >= half the formula's gap");
        AnsiConsole.Write(table);
    }

    public static JsonObject Json(IReadOnlyList<SwapRow> rows, double gate, int seed)
    {
        var json = new JsonObject { ["gate"] = gate, ["seed"] = seed };
        foreach (var row in rows)
        {
            json[row.Attribute.ToString().ToLowerInvariant()] = new JsonObject
            {
                ["pairs"] = row.Pairs,
                ["wins"] = row.Wins,
                ["mean_gap"] = row.MeanGap,
                ["still_passing"] = row.StillPassing,
                ["formula_gap"] = row.FormulaGap,
            };
        }

        return json;
    }
}
