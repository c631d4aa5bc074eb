using System.CommandLine;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Errors;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa score</c>: scores a folder or manifest of (image, prompt) pairs into a JSONL or CSV file.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var input = new Option<string>("--input", "-i")
        {
            Description = "A folder of images with same-named .txt prompts, a manifest.jsonl ({\"image\", \"prompt\"}), a manifest.csv (image,prompt) or a manifest.parquet (string columns image, prompt).",
            Required = true,
        };
        var output = new Option<string>("--out", "-o") { Description = "Results file: .jsonl, .csv or .parquet; - writes JSONL to standard output.", Required = true };
        var quality = new Option<string?>("--quality-threshold") { Description = "Lowest passing quality: a score (0.4) or a percentile of the bundle's calibration (p20)." };
        var alignment = new Option<string?>("--alignment-threshold") { Description = "Lowest passing alignment: a score or a percentile (pNN)." };
        var batchSize = CliOptions.BatchSize();
        var threads = CliOptions.Threads();
        var provider = CliOptions.Provider();
        var maxPromptBytes = CliOptions.MaxPromptBytes();
        var failOnVerdict = CliOptions.FailOnVerdict();
        var explain = new Option<string?>("--explain")
        {
            Description = "Folder for explanations: per image, where the model looked for the prompt (NAME.overlay.png) and the raw attention map (NAME.attention.json). Needs a bundle exported with the attention output.",
        };

        var explainWords = new Option<bool>("--explain-words")
        {
            Description = "With --explain: also score the prompt with each word left out, and list in the JSON how much each word changed alignment (per word, a text encoding and a head graph run; without a head graph, a whole model run).",
        };

        var command = new Command("score", "Score images against their prompts with an IP-IQA model bundle.")
        {
            model, input, output, quality, alignment, batchSize, threads, provider, maxPromptBytes, failOnVerdict, explain, explainWords,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ScoreThresholds.Resolve(parse.GetValue(model)!, parse.GetValue(quality), parse.GetValue(alignment)) is not { } thresholds)
            {
                return ExitCodes.Usage;
            }

            var settings = new ScoreSettings(
                parse.GetValue(model)!,
                parse.GetValue(input)!,
                parse.GetValue(output)!,
                thresholds,
                parse.GetValue(batchSize),
                parse.GetValue(threads),
                parse.GetValue(provider),
                parse.GetValue(maxPromptBytes),
                parse.GetValue(failOnVerdict),
                parse.GetValue(explain),
                parse.GetValue(explainWords));
            return await ScoreRunner.RunAsync(settings, cancellationToken);
        });
        return command;
    }
}
