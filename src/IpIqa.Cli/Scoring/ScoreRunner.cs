using System.Diagnostics;
using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Inference.Scoring;
using Spectre.Console;

namespace IpIqa.Cli.Scoring;

/// <summary>
/// Runs <c>ipiqa score</c>: reads the inputs, scores them in order, writes results, prints the summary.
/// Exits with <see cref="ExitCodes"/>: 0 when every input scored, 1 when some could not be (or, with
/// <c>--fail-on-verdict</c>, were rejected), 2 on a usage error, 3 when the run itself failed.
/// </summary>
internal static class ScoreRunner
{
    private static readonly TimeSpan ProgressLineInterval = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(ScoreSettings settings, CancellationToken cancellationToken)
    {
        var console = CliConsole.Stderr;
        if (!Commands.CliOptions.CheckRanges(settings.BatchSize, settings.Threads) || !Commands.CliOptions.CheckMaxPromptBytes(settings.MaxPromptBytes))
        {
            return ExitCodes.Usage;
        }

        try
        {
            var inputs = await ScoreInputReader.ReadAsync(settings.Input, cancellationToken).ConfigureAwait(false);
            using var loggers = CliEngine.CreateLoggerFactory();
            await using var loaded = CliEngine.Load(settings.Model, settings.BatchSize, settings.Threads, settings.Provider, loggers, maxPromptBytes: settings.MaxPromptBytes);
            var calibration = ScoreCalibration.Of(loaded.Bundle.Manifest);
            var writer = ResultWriters.Create(settings.Output, loaded.Engine.Model, calibration.IsComplete);
            var summary = new ScoreSummary();
            var watch = Stopwatch.StartNew();

            // Disposing the writer finishes the file (a Parquet file gets its footer and its name) before the summary.
            await using (writer)
            {
                async Task ScoreAllAsync(Action<int> advanced)
                {
                    await foreach (var outcome in ScoreInOrderAsync(loaded.Engine, inputs, settings.Thresholds, cancellationToken))
                    {
                        var reported = outcome with { Percentiles = outcome.Scores is { } s ? calibration.PercentilesOf(s.Quality, s.Alignment) : null };
                        await writer.WriteAsync(reported, cancellationToken);
                        summary.Add(reported);
                        advanced(summary.Count);
                    }
                }

                if (Console.IsErrorRedirected)
                {
                    // No terminal (CI, logs, tests, a second command in the same process): a plain line
                    // every few seconds instead of Spectre's live display, which allows one at a time.
                    var lastReport = Stopwatch.StartNew();
                    await ScoreAllAsync(done =>
                    {
                        if (lastReport.Elapsed >= ProgressLineInterval || done == inputs.Count)
                        {
                            Console.Error.WriteLine($"scoring: {done}/{inputs.Count} ({done / Math.Max(watch.Elapsed.TotalSeconds, 1e-9):F1} images/s)");
                            lastReport.Restart();
                        }
                    });
                }
                else
                {
                    await console.Progress()
                        .AutoClear(false)
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .StartAsync(async context =>
                        {
                            var task = context.AddTask("scoring", maxValue: Math.Max(inputs.Count, 1));
                            await ScoreAllAsync(_ => task.Increment(1));
                        });
                }
            }

            console.MarkupLine($"[bold]{Markup.Escape(loaded.Engine.Model.ToString())}[/] on {loaded.Engine.ExecutionProviderName}, results in {Markup.Escape(settings.Output)}");
            summary.Render(console, watch.Elapsed);
            return ExitCodes.Of(summary.Errors, summary.Rejected, settings.FailOnVerdict);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or IpIqaException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The command boundary: report anything unforeseen as one line, never a crash.
            Console.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.RunFailed;
        }
    }

    /// <summary>Scores <paramref name="inputs"/>, yielding one outcome per input in input order; entries with a problem are reported, not scored.</summary>
    public static async IAsyncEnumerable<ScoreOutcome> ScoreInOrderAsync(
        ScoringEngine engine,
        IReadOnlyList<ScoreInput> inputs,
        Thresholds thresholds,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var verdicts = new VerdictCalculator(thresholds);
        var window = new Queue<(ScoreInput Input, Task<ScoreResult>? Result)>();
        foreach (var input in inputs)
        {
            var task = input.ProblemCode is null
                ? engine.ScoreAsync(new ScoreRequest(ImageInput.FromFile(input.ImagePath, input.Image), input.Prompt!), cancellationToken)
                : null;
            window.Enqueue((input, task));
            if (window.Count >= engine.MaxInFlight)
            {
                yield return await NextAsync(window.Dequeue(), verdicts);
            }
        }

        while (window.Count > 0)
        {
            yield return await NextAsync(window.Dequeue(), verdicts);
        }
    }

    private static async Task<ScoreOutcome> NextAsync((ScoreInput Input, Task<ScoreResult>? Result) entry, VerdictCalculator verdicts) =>
        entry.Result is null ? ScoreOutcome.Failed(entry.Input) : ScoreOutcome.From(entry.Input, await entry.Result, verdicts);
}
