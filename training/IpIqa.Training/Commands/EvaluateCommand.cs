using System.CommandLine;
using System.Globalization;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Evaluation;
using IpIqa.Training.Training;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary>
/// <c>ipiqa-train evaluate --model BUNDLE --data data.csv --images DIR [--out metrics.json] [--predictions FILE.csv] [--attribute-swaps]</c>:
/// scores a data set with a bundle through ONNX Runtime and reports SRCC/PLCC/KRCC per output, and on a
/// synthetic set optionally the attribute-swap table (<see cref="AttributeSwapCheck"/>) and the quality rows
/// (<see cref="QualityRangeCheck"/>).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model bundle folder (bundle.json, text.onnx, image.onnx, tokenizer).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Data table (AGIQA-3k data.csv, AGIQA-1k xlsx, or a plain CSV).", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder of the images the table names.", Required = true };
        var kind = new Option<string>("--kind") { Description = "agiqa3k (also the synthetic set), agiqa1k or csv.", DefaultValueFactory = _ => "agiqa3k" };
        kind.AcceptOnlyFromAmong("agiqa3k", "agiqa1k", "csv");
        var output = new Option<FileInfo?>("--out") { Description = "Write the metrics as JSON here." };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Write image,prompt,mos_quality,pred_quality,mos_align,pred_align here." };
        var plots = new Option<DirectoryInfo?>("--plots") { Description = "Write predicted-vs-MOS scatter PNGs into this folder." };
        var swap = new Option<double?>("--prompt-swap") { Description = "Also score each image with alignment MOS >= this against another prompt; report how often its own prompt scores higher." };
        var swaps = new Option<bool>("--attribute-swaps") { Description = "On a set written by 'ipiqa-train synth': score each aligned image against prompts that differ in one attribute (shape, colour, count, position, style) or a random other prompt; also report clean vs degraded images of a prompt, clean images' mean prediction vs MOS, and the line of predicted quality on MOS." };
        var gate = new Option<double>("--gate") { Description = "Alignment threshold of the attribute-swap table's 'still passing' column.", DefaultValueFactory = _ => 3.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the prompt-swap and attribute-swap draws.", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size of the ONNX session.", DefaultValueFactory = _ => 32 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0: its default).", DefaultValueFactory = _ => 0 };
        var command = new Command("evaluate", "Score a data set with a model bundle (ONNX Runtime) and report SRCC/PLCC/KRCC per output.")
        {
            model, data, images, kind, output, predictions, plots, swap, swaps, gate, seed, batch, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var dataset = IqaDataset.Load(
                    parse.GetValue(kind) switch { "agiqa1k" => DatasetKind.Agiqa1k, "csv" => DatasetKind.PlainCsv, _ => DatasetKind.Agiqa3k },
                    parse.GetValue(data)!.FullName,
                    parse.GetValue(images)!.FullName);
                await using var scorer = BundleScorer.Open(parse.GetValue(model)!.FullName, parse.GetValue(batch), parse.GetValue(threads));
                var result = await BundleEvaluation.RunAsync(scorer, dataset, parse.GetValue(swap), parse.GetValue(seed), cancellationToken);
                Print(scorer.ModelName, result);
                if (parse.GetValue(swaps))
                {
                    var labelled = AttributeSwapCheck.AlignedImages(dataset.Samples, parse.GetValue(data)!.FullName);
                    var rows = await AttributeSwapCheck.RunAsync(labelled, scorer.ScoreAlignmentAsync, parse.GetValue(seed), parse.GetValue(gate), cancellationToken);
                    AttributeSwapReport.Print(rows, parse.GetValue(gate), parse.GetValue(seed));
                    result.Json["attribute_swaps"] = AttributeSwapReport.Json(rows, parse.GetValue(gate), parse.GetValue(seed));
                    var quality = QualityRangeCheck.Of(result.Predictions, SynthTableLabels.Read(parse.GetValue(data)!.FullName, "the quality rows"));
                    QualityRangeReport.Print(quality);
                    result.Json["quality_range"] = QualityRangeReport.Json(quality);
                }

                if (parse.GetValue(output) is { } json)
                {
                    await File.WriteAllTextAsync(json.FullName, result.Json.ToJsonString(new() { WriteIndented = true }), cancellationToken);
                }

                if (parse.GetValue(predictions) is { } csv)
                {
                    PredictionsCsv.Write(csv.FullName, result.Predictions);
                }

                if (parse.GetValue(plots) is { } folder)
                {
                    Directory.CreateDirectory(folder.FullName);
                    RunPlots.Write(folder.FullName, result.Predictions);
                }

                return result.Failures.Count == 0 ? 0 : 3;
            }
            catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or Core.Errors.IpIqaException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"evaluate failed: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Print(string modelName, BundleEvaluation.Result result)
    {
        var table = new Table().AddColumns("output", "SRCC", "PLCC", "KRCC", "n");
        for (var output = 0; output < result.Predictions.Outputs; output++)
        {
            var m = result.Predictions.Metrics(output);
            table.AddRow(Predictions.OutputNames[output], Format(m.Srcc), Format(m.Plcc), Format(m.Krcc), m.N.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.MarkupLineInterpolated($"[bold]{modelName}[/]");
        AnsiConsole.Write(table);
        if (result.MismatchShare is { } share)
        {
            AnsiConsole.MarkupLineInterpolated($"prompt swap: own prompt scores higher alignment in {share:P1} of {result.MismatchPairs} pairs (chance 50%)");
        }

        foreach (var failure in result.Failures.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]not scored:[/] {failure}");
        }

        static string Format(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "undefined";
    }
}
