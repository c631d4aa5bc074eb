using System.CommandLine;
using IpIqa.Training.Data;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary><c>ipiqa-train split</c>: sets prompts aside before any training (train.csv, heldout.csv).</summary>
internal static class SplitCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Data table (CSV).", Required = true };
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder of the images the table names.", Required = true };
        var kind = new Option<string>("--kind") { Description = "agiqa3k (also the synthetic set) or csv.", DefaultValueFactory = _ => "agiqa3k" };
        kind.AcceptOnlyFromAmong("agiqa3k", "csv");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for train.csv and heldout.csv.", Required = true };
        var fraction = new Option<double>("--heldout-fraction") { Description = "Fraction of the prompts held out.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the prompt shuffle.", DefaultValueFactory = _ => 0 };
        var command = new Command("split", "Hold out a prompt-disjoint part of a data set before any training stage sees it.")
        {
            data, images, kind, output, fraction, seed,
        };
        command.SetAction(parse =>
        {
            try
            {
                var (train, heldOut) = HeldOutSplitter.Write(
                    parse.GetValue(kind) == "csv" ? DatasetKind.PlainCsv : DatasetKind.Agiqa3k,
                    parse.GetValue(data)!.FullName,
                    parse.GetValue(images)!.FullName,
                    parse.GetValue(output)!.FullName,
                    parse.GetValue(fraction),
                    parse.GetValue(seed));
                AnsiConsole.MarkupLineInterpolated($"{train} training and {heldOut} held-out samples written to [bold]{parse.GetValue(output)!.FullName}[/]");
                return 0;
            }
            catch (Exception e) when (e is DatasetException or InvalidDataException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"split failed: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
