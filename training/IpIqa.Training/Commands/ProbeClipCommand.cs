using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Evaluation;
using IpIqa.Training.Training;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary>
/// <c>ipiqa-train probe-clip --init CHECKPOINT --data data.csv --images DIR --vocab FILE [--out probe.json]</c>: the
/// zero-shot attribute probe of a pretrained CLIP on a synthetic set (<see cref="ClipAttributeProbe"/>).
/// </summary>
internal static class ProbeClipCommand
{
    public static Command Create()
    {
        var init = new Option<DirectoryInfo>("--init") { Description = "Checkpoint folder (a pretrain-clip or image2prompt run's best/).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "A data.csv written by 'ipiqa-train synth'.", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder of the images the table names.", Required = true };
        var vocab = new Option<FileInfo>("--vocab") { Description = "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz).", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Write the rows as JSON here." };
        var batch = new Option<int>("--batch-size") { Description = "Images or prompts per forward pass.", DefaultValueFactory = _ => 128 };
        var threads = new Option<int>("--threads") { Description = "TorchSharp intra-op threads (0: its default).", DefaultValueFactory = _ => 0 };
        var command = new Command("probe-clip", "Zero-shot attribute probe of a pretrained CLIP on a synthetic set: image-to-text top-1 among the prompts of the same scene that differ in one attribute.")
        {
            init, data, images, vocab, output, batch, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                if (parse.GetValue(threads) is > 0 and var n)
                {
                    TorchSharp.torch.set_num_threads(n);
                }

                var table = parse.GetValue(data)!.FullName;
                _ = SynthTableLabels.Read(table, "the probe"); // a clear error before the model loads
                var inputs = new StageInputs(table, parse.GetValue(images)!.FullName, DatasetKind.Agiqa3k, parse.GetValue(vocab)!.FullName, parse.GetValue(init)!.FullName, null, "", false);
                using var model = TrainingCheckpoint.LoadModel(inputs.Init, null);
                var stage = StageData.Load(inputs, model.Config.InputResolution, model.Config.ContextLength);
                var labelled = AttributeSwapCheck.AlignedImages(stage.Dataset.Samples, table);
                var set = stage.Set("probe", [.. labelled.Select(i => i.Sample)]);
                var rows = ClipAttributeProbe.Run(model, set, labelled, parse.GetValue(batch), cancellationToken);
                Print(rows);
                if (parse.GetValue(output) is { } json)
                {
                    var root = new JsonObject();
                    foreach (var row in rows)
                    {
                        root[row.Attribute.ToString().ToLowerInvariant()] = new JsonObject { ["images"] = row.Images, ["candidates"] = row.Candidates, ["top1"] = row.Top1, ["chance"] = row.Chance };
                    }

                    await File.WriteAllTextAsync(json.FullName, root.ToJsonString(new() { WriteIndented = true }), cancellationToken);
                }

                return 0;
            }
            catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"probe-clip failed: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Print(IReadOnlyList<ClipAttributeProbe.Row> rows)
    {
        var table = new Table().AddColumns("attribute", "images", "candidates", "top-1", "chance");
        foreach (var row in rows)
        {
            table.AddRow(
                row.Attribute.ToString().ToLowerInvariant(),
                row.Images.ToString(CultureInfo.InvariantCulture),
                row.Candidates.ToString(CultureInfo.InvariantCulture),
                row.Top1.ToString("P1", CultureInfo.InvariantCulture),
                row.Chance.ToString("P1", CultureInfo.InvariantCulture));
        }

        AnsiConsole.MarkupLine("zero-shot probe: each aligned image against its scene's prompts with one attribute set to every value");
        AnsiConsole.Write(table);
    }
}
