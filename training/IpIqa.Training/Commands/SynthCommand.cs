using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using IpIqa.Core.Progress;
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
                if (!AnsiConsole.Profile.Capabilities.Interactive)
                {
                    // No terminal (CI, logs): plain lines, the last one at 100%.
                    var lines = new CountProgressLines(Console.Error, "rendering", total, TimeSpan.FromSeconds(5));
                    images = await SyntheticDatasetGenerator.GenerateAsync(options, lines, cancellationToken);
                    lines.Complete();
                }
                else
                {
                    await AnsiConsole.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                        .StartAsync(async context =>
                        {
                            var task = context.AddTask("rendering", maxValue: total);
                            // Progress<T> posts each report to the thread pool, so reports from the parallel renderers
                            // arrive out of order, some after the last image: the bar only moves forward (#15).
                            var gate = new Lock();
                            var progress = new Progress<int>(n =>
                            {
                                lock (gate)
                                {
                                    task.Value = Math.Max(task.Value, n);
                                }
                            });
                            images = await SyntheticDatasetGenerator.GenerateAsync(options, progress, cancellationToken);
                            lock (gate)
                            {
                                task.Value = total;
                            }
                        });
                }

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
