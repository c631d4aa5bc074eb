using System.CommandLine;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa score</c>: scores a folder or manifest of (image, prompt) pairs into a JSONL or CSV file.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var input = new Option<string>("--input", "-i")
        {
            Description = "A folder of images with same-named .txt prompts, a manifest.jsonl ({\"image\", \"prompt\"}) or a manifest.csv (image,prompt).",
            Required = true,
        };
        var output = new Option<string>("--out", "-o") { Description = "Results file: .jsonl or .csv.", Required = true };
        var quality = new Option<double?>("--quality-threshold") { Description = "Lowest passing quality score." };
        var alignment = new Option<double?>("--alignment-threshold") { Description = "Lowest passing alignment score." };
        var batchSize = CliOptions.BatchSize();
        var threads = CliOptions.Threads();
        var provider = CliOptions.Provider();

        var command = new Command("score", "Score images against their prompts with an IP-IQA model bundle.")
        {
            model, input, output, quality, alignment, batchSize, threads, provider,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new ScoreSettings(
                parse.GetValue(model)!,
                parse.GetValue(input)!,
                parse.GetValue(output)!,
                new Thresholds(parse.GetValue(quality), parse.GetValue(alignment)),
                parse.GetValue(batchSize),
                parse.GetValue(threads),
                parse.GetValue(provider));
            return await ScoreRunner.RunAsync(settings, cancellationToken);
        });
        return command;
    }
}
