using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using IpIqa.Training.Data.Synthetic;
using Spectre.Console;

namespace IpIqa.Training.Commands;

/// <summary><c>ipiqa-train synth</c>: writes a seeded synthetic data set in the AGIQA-3k layout.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (new or empty): data.csv, images/, synth.json.", Required = true };
        var prompts = new Option<int>("--prompts") { Description = "Number of prompts.", DefaultValueFactory = _ => 100 };
        var perPrompt = new Option<int>("--images-per-prompt") { Description = "Images per prompt, each with its own degradations.", DefaultValueFactory = _ => 4 };
        var size = new Option<int>("--size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed gives byte-identical output.", DefaultValueFactory = _ => 0 };
        var command = new Command("synth", "Generate a synthetic prompt/image data set with controlled quality and alignment MOS.")
        {
            output, prompts, perPrompt, size, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SynthOptions(parse.GetValue(output)!.FullName, parse.GetValue(prompts), parse.GetValue(perPrompt), parse.GetValue(size), parse.GetValue(seed));
            try
            {
                options.Validate();
                var total = options.Prompts * options.ImagesPerPrompt;
                IReadOnlyList<SynthImage> images = [];
                await AnsiConsole.Progress().StartAsync(async context =>
                {
                    var task = context.AddTask("rendering", maxValue: total);
                    var progress = new Progress<int>(n => task.Value = n);
                    images = await SyntheticDatasetGenerator.GenerateAsync(options, progress, cancellationToken);
                    task.Value = total;
                });
                AnsiConsole.MarkupLineInterpolated($"wrote {images.Count} images for {options.Prompts} prompts to [bold]{options.OutputDirectory}[/]");
                return 0;
            }
            catch (Exception e) when (e is ValidationException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"synth: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
