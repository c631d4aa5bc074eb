using System.CommandLine;
using IpIqa.Model;
using IpIqa.Training.Import;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary>
/// <c>ipiqa-train import</c>: loads an official IP-IQA checkpoint or OpenAI CLIP ResNet weights into
/// the TorchSharp model and writes a checkpoint folder (weights, config, tokenizer vocabulary).
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
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder.", Required = true };

        var command = new Command("import", "Import IP-IQA or CLIP weights into a TorchSharp checkpoint folder.")
        {
            checkpoint, format, config, baseClip, vocab, output,
        };
        command.SetAction(parse => Run(
            parse.GetValue(checkpoint)!,
            parse.GetValue(format),
            parse.GetValue(config),
            parse.GetValue(baseClip),
            parse.GetValue(vocab)!,
            parse.GetValue(output)!));
        return command;
    }

    internal static int Run(FileInfo checkpoint, string? format, FileInfo? configFile, FileInfo? baseClip, FileInfo vocab, DirectoryInfo output)
    {
        try
        {
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
            TorchCheckpoint.Save(result.Model, output.FullName);
            CopyWritable(vocab.FullName, Path.Combine(output.FullName, vocab.Name));

            AnsiConsole.MarkupLineInterpolated($"[green]Imported[/] {checkpoint.Name} ({result.Format}) -> {output.FullName}");
            var final = result.Model.Config;
            AnsiConsole.MarkupLineInterpolated($"  {final.InputResolution} px, head {final.Head}, text feature {final.TextFeature}");
            AnsiConsole.MarkupLineInterpolated($"  {result.FromBaseClip.Count} keys from the base CLIP, {result.FreshlyInitialised.Count} freshly initialised");
            return 0;
        }
        catch (Exception e) when (e is CheckpointException or InvalidDataException or IOException or UnauthorizedAccessException)
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
