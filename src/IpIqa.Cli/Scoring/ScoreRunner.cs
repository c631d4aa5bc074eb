using System.Diagnostics;
using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Progress;
using IpIqa.Inference;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using IpIqa.Rescoring;
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

        if (settings.ExplainWords && settings.ExplainFolder is null)
        {
            Console.Error.WriteLine("error: --explain-words needs --explain DIR.");
            return ExitCodes.Usage;
        }

        try
        {
            var inputs = await ScoreInputReader.ReadAsync(settings.Input, cancellationToken).ConfigureAwait(false);
            using var loggers = CliEngine.CreateLoggerFactory();
            await using var loaded = CliEngine.Load(settings.Model, settings.BatchSize, settings.Threads, settings.Provider, loggers, maxPromptBytes: settings.MaxPromptBytes);
            var explanations = CreateExplanationStore(loaded, settings.ExplainFolder);
            var scoring = CreateService(loaded, ScoreInputReader.BaseFolderOf(settings.Input), settings.Thresholds, settings.MaxPromptBytes, explanations: explanations);
            var explain = new ExplainRequest(explanations is not null, settings.ExplainWords);
            var writer = ResultWriters.Create(settings.Output, explain.Overlay);
            var summary = new ScoreSummary();
            var explained = 0;
            var watch = Stopwatch.StartNew();

            // Disposing the writer finishes the file (a Parquet file gets its footer and its name) before the summary.
            await using (writer)
            {
                async Task ScoreAllAsync(Action<int> advanced)
                {
                    await foreach (var result in ScoreInOrderAsync(scoring, inputs, loaded.Engine.MaxInFlight, explain, cancellationToken))
                    {
                        await writer.WriteAsync(result, cancellationToken);
                        summary.Add(result);
                        explained += result.Explanation?.Overlay is null ? 0 : 1;
                        advanced(summary.Count);
                    }
                }

                if (Console.IsErrorRedirected)
                {
                    // No terminal (CI, logs, tests, a second command in the same process): a plain line
                    // every few seconds instead of Spectre's live display, which allows one at a time.
                    var lines = new CountProgressLines(Console.Error, "scoring", inputs.Count, ProgressLineInterval);
                    await ScoreAllAsync(lines.Report);
                    lines.Complete();
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
            if (explanations is not null)
            {
                console.MarkupLine($"explanations: {explained} in {Markup.Escape(settings.ExplainFolder!)}");
            }

            return ExitCodes.Of(summary.Errors, summary.Rejected, settings.FailOnVerdict);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or IpIqaException or ExecutionProviderUnavailableException)
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

    /// <summary>
    /// The one <see cref="ScoringService"/> over the loaded engine, reading the operator's files
    /// (<see cref="FileImageSource"/>, relative to <paramref name="baseFolder"/>), with the bundle's calibration.
    /// With <paramref name="explanations"/>, requests that ask are explained by the engine (<see cref="EngineExplainer"/>)
    /// into that store, as the worker's jobs are.
    /// </summary>
    public static ScoringService CreateService(LoadedScoringEngine loaded, string baseFolder, Thresholds thresholds, int maxPromptBytes, long? maxImageBytes = null, IExplanationStore? explanations = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var options = new ScoringOptions
        {
            MaxImageBytes = maxImageBytes ?? Core.Imaging.ImageLimits.Default.MaxBytes,
            MaxPromptBytes = maxPromptBytes,
            DefaultThresholds = thresholds,
            Calibration = ScoreCalibration.Of(loaded.Bundle.Manifest),
            MaxExplainWords = int.MaxValue, // the operator's own prompts: no cap
        };
        var explainer = explanations is null ? null : new EngineExplainer(loaded.Engine);
        return new ScoringService(loaded.Engine, [new FileImageSource(baseFolder)], options, new JobMetrics(), TimeProvider.System, explainer, explanations);
    }

    /// <summary>
    /// For <c>--explain DIR</c>: the folder store the explained requests are written to (created); null without the option.
    /// </summary>
    /// <exception cref="InvalidDataException">The bundle has no attention output; the message says to re-export it.</exception>
    private static FolderExplanationStore? CreateExplanationStore(LoadedScoringEngine loaded, string? folder)
    {
        if (folder is null)
        {
            return null;
        }

        if (!loaded.Engine.CanExplain)
        {
            throw new InvalidDataException($"--explain: {ScoringEngine.NoAttentionMessage(loaded.Engine.Model)}");
        }

        Directory.CreateDirectory(folder);
        return new FolderExplanationStore(folder);
    }

    /// <summary>
    /// Scores <paramref name="inputs"/> through <paramref name="scoring"/>, yielding one result per input in input order
    /// with at most <paramref name="maxInFlight"/> in progress; an entry with a problem (no prompt, a bad manifest line)
    /// is an error result without being scored. Each request asks for the explanation <paramref name="explain"/> says.
    /// </summary>
    public static async IAsyncEnumerable<ScoringResult> ScoreInOrderAsync(
        ScoringService scoring,
        IReadOnlyList<ScoreInput> inputs,
        int maxInFlight,
        ExplainRequest explain,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = new Queue<Task<ScoringResult>>();
        foreach (var input in inputs)
        {
            var image = new ImageReference(Path: input.Image);
            window.Enqueue(input.ProblemCode is null
                ? scoring.ScoreAsync(new ScoringRequest(input.Image, image, input.Prompt) { Explain = explain.Overlay, ExplainWords = explain.Words }, cancellationToken)
                : Task.FromResult(scoring.Failed(new ScoringRequestError(input.ProblemCode, input.Problem!, input.Image, Image: image))));
            if (window.Count >= maxInFlight)
            {
                yield return await window.Dequeue().ConfigureAwait(false);
            }
        }

        while (window.Count > 0)
        {
            yield return await window.Dequeue().ConfigureAwait(false);
        }
    }
}
