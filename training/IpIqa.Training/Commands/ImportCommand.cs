using System.CommandLine;
using IpIqa.Core.Bundles;
using IpIqa.Model;
using IpIqa.Training.Bundles;
using IpIqa.Training.Import;
using IpIqa.Training.Quantization;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary>
/// <c>ipiqa-train import</c>: loads an official IP-IQA checkpoint or OpenAI CLIP ResNet weights into
/// the TorchSharp model and writes a model bundle (ONNX graphs, tokenizer, bundle.json). With
/// <c>--checkpoint-out</c> it also writes a TorchSharp checkpoint folder to train from.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "IP-IQA (.pt or .safetensors) or CLIP state dict.", Required = true };
        var format = new Option<string>("--format") { Description = "ipiqa or clip (default: from the keys)." };
        format.AcceptOnlyFromAmong("ipiqa", "clip");
        var config = new Option<FileInfo?>("--config") { Description = "Architecture JSON (snake_case; a file with a 'config' object works). Default: RN50 at 512 px." };
        var baseClip = new Option<FileInfo?>("--base-clip") { Description = "CLIP weights that supply keys the IP-IQA checkpoint leaves out (frozen text tower)." };
        var vocab = new Option<FileInfo>("--vocab") { Description = "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz), copied into the output.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Model bundle folder to write.", Required = true };
        var checkpointOut = new Option<DirectoryInfo?>("--checkpoint-out") { Description = "Also write a TorchSharp checkpoint folder (weights, config, vocabulary) to train from." };
        var name = new Option<string>("--name") { Description = "Bundle name.", DefaultValueFactory = _ => "ipiqa" };
        var version = new Option<string?>("--version") { Description = "Bundle version (default: the UTC date and time)." };
        var precision = ExportCommand.PrecisionOption();
        var calibration = ExportCommand.CalibrationOption();
        var method = ExportCommand.CalibrationMethodOption();

        var command = new Command("import", "Import IP-IQA or CLIP weights and export a model bundle.")
        {
            checkpoint, format, config, baseClip, vocab, output, checkpointOut, name, version, precision, calibration, method,
        };
        command.SetAction(parse => Run(
            parse.GetValue(checkpoint)!,
            parse.GetValue(format),
            parse.GetValue(config),
            parse.GetValue(baseClip),
            parse.GetValue(vocab)!,
            parse.GetValue(output)!,
            parse.GetValue(checkpointOut),
            parse.GetValue(name)!,
            parse.GetValue(version),
            parse.GetValue(precision)!,
            parse.GetValue(calibration),
            parse.GetValue(method)));
        return command;
    }

    internal static int Run(
        FileInfo checkpoint,
        string? format,
        FileInfo? configFile,
        FileInfo? baseClip,
        FileInfo vocab,
        DirectoryInfo output,
        DirectoryInfo? checkpointOut = null,
        string name = "ipiqa",
        string? version = null,
        string precision = BundlePrecision.Fp32,
        string? calibrationPath = null,
        CalibrationMethod? calibrationMethod = null)
    {
        try
        {
            var calibration = ExportCommand.ResolveCalibration(precision, calibrationPath);
            var int8 = ExportCommand.ResolveInt8(precision, calibrationMethod);
            if (!vocab.Exists)
            {
                throw new CheckpointException($"{vocab.FullName}: vocabulary file not found.");
            }

            var config = configFile is null ? IpIqaConfig.Rn50 : IpIqaConfig.Load(configFile.FullName);
            var checkpointFormat = format switch
            {
                "ipiqa" => CheckpointFormat.IpIqa,
                "clip" => CheckpointFormat.Clip,
                _ => CheckpointFormat.Auto,
            };

            using var result = new CheckpointImporter().Import(checkpoint.FullName, checkpointFormat, config, baseClip?.FullName);
            if (checkpointOut is not null)
            {
                TorchCheckpoint.Save(result.Model, checkpointOut.FullName);
                CopyWritable(vocab.FullName, Path.Combine(checkpointOut.FullName, vocab.Name));
                AnsiConsole.MarkupLineInterpolated($"[green]Checkpoint[/] -> {checkpointOut.FullName}");
            }

            var manifest = ModelBundleExporter.Export(
                result.Model,
                vocab.FullName,
                mergesPath: null,
                output.FullName,
                name,
                version ?? DateTimeOffset.UtcNow.ToString("yyyy.MM.dd-HHmmss", System.Globalization.CultureInfo.InvariantCulture),
                new BundleProvenance { Source = $"import: {checkpoint.Name} ({result.Format})", Command = "ipiqa-train import" },
                scoreRange: null,
                precision,
                calibration,
                int8,
                CancellationToken.None);

            AnsiConsole.MarkupLineInterpolated($"[green]Imported[/] {checkpoint.Name} ({result.Format}) -> bundle {manifest.Name} {manifest.Version} in {output.FullName}");
            var final = result.Model.Config;
            AnsiConsole.MarkupLineInterpolated($"  {final.InputResolution} px, head {final.Head}, text feature {final.TextFeature}, image graph {manifest.Graphs.Image.EffectivePrecision}");
            AnsiConsole.MarkupLineInterpolated($"  {result.FromBaseClip.Count} keys from the base CLIP, {result.FreshlyInitialised.Count} freshly initialised");
            return 0;
        }
        catch (Exception e) when (e is CheckpointException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]import failed:[/] {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The command boundary: a failure inside TorchSharp or libtorch ends the command, not the process.
            AnsiConsole.MarkupLineInterpolated($"[red]import failed ({e.GetType().Name}):[/] {e.Message}");
            return 2;
        }
    }

    /// <summary>Copies a file so that the copy is writable, even over an earlier read-only copy (fixtures are read-only).</summary>
    private static void CopyWritable(string source, string destination)
    {
        if (File.Exists(destination))
        {
            File.SetAttributes(destination, FileAttributes.Normal);
        }

        File.Copy(source, destination, overwrite: true);
        File.SetAttributes(destination, FileAttributes.Normal);
    }
}
