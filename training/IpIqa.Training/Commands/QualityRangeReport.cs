using System.Globalization;
using System.Text.Json.Nodes;
using IpIqa.Training.Evaluation;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary>Prints <c>evaluate --attribute-swaps</c>'s quality rows (<see cref="QualityRangeCheck"/>) and writes them into the metrics JSON.</summary>
internal static class QualityRangeReport
{
    public static void Print(QualityRangeCheck.Result result)
    {
        AnsiConsole.MarkupLineInterpolated(
            $"clean beats degraded, same prompt: {Share(result.CleanBeatsDegraded)} of {result.Pairs} pairs (a clean and a degraded image of one prompt with the same alignment deviations; goal >= 97%)");
        AnsiConsole.MarkupLineInterpolated(
            $"clean images: mean predicted quality {F(result.CleanMeanPredicted)} vs mean MOS {F(result.CleanMeanMos)} ({result.CleanImages} images)");
        AnsiConsole.MarkupLineInterpolated(
            $"predicted quality = {F(result.Slope)} x MOS {(result.Intercept < 0 ? "-" : "+")} {F(Math.Abs(result.Intercept))} (least squares over {result.Images} images; 1 x MOS + 0 spans the MOS range, a slope under 1 is compressed toward the middle)");
        AnsiConsole.MarkupLineInterpolated(
            $"alignment SRCC without the missing-object images: {(result.AlignmentSrccWithoutMissingObject is { } srcc ? srcc.ToString("F4", CultureInfo.InvariantCulture) : "undefined")} ({result.WithoutMissingObject} images)");

        static string Share(double value) => double.IsNaN(value) ? "undefined" : value.ToString("P1", CultureInfo.InvariantCulture);
        static string F(double value) => double.IsNaN(value) ? "undefined" : value.ToString("F2", CultureInfo.InvariantCulture);
    }

    public static JsonObject Json(QualityRangeCheck.Result result) => new()
    {
        ["clean_degraded_pairs"] = result.Pairs,
        ["clean_beats_degraded"] = Number(result.CleanBeatsDegraded),
        ["clean_images"] = result.CleanImages,
        ["clean_mean_predicted"] = Number(result.CleanMeanPredicted),
        ["clean_mean_mos"] = Number(result.CleanMeanMos),
        ["quality_slope"] = Number(result.Slope),
        ["quality_intercept"] = Number(result.Intercept),
        ["images"] = result.Images,
        ["alignment_srcc_without_missing_object"] = result.AlignmentSrccWithoutMissingObject,
        ["without_missing_object"] = result.WithoutMissingObject,
    };

    private static double? Number(double value) => double.IsNaN(value) ? null : value;
}
