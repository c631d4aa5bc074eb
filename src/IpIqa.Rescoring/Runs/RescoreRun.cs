using System.Diagnostics;
using IpIqa.Core.Bundles;
using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Inference;
using IpIqa.Inference.Bundles;
using Spectre.Console;

namespace IpIqa.Rescoring;

/// <summary>
/// A rescoring run, as <c>ipiqa rescore</c> starts it (the command parses and checks the arguments): picks the run (resume the unfinished one of the same source and
/// model, or start one), runs it in-process or onto the queue, then writes the results (CSV and
/// Parquet) and the HTML report into the run folder. With <c>--runs-container</c> the runs live in
/// a blob container too: pulled before the run is picked, pushed at every checkpoint and at the end.
/// Exits with <see cref="ExitCodes"/>: 1 when any item of the run could not be scored (or, with
/// <c>--fail-on-verdict</c>, was rejected), as <c>ipiqa score</c> and <c>ipiqa-worker --drain</c> do.
/// </summary>
internal static class RescoreRun
{
    public static async Task<int> RunAsync(RescoreSettings settings, RescoreHost host, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            if (settings.PageSize is < 1 or > 5000)
            {
                throw new InvalidDataException($"--page-size {settings.PageSize} must be between 1 and 5000.");
            }

            if (!double.IsFinite(settings.RequestsPerSecond) || settings.RequestsPerSecond < 0)
            {
                throw new InvalidDataException($"--requests-per-second {settings.RequestsPerSecond} must be 0 (no cap) or a positive number.");
            }

            if (settings.KeepRuns < 0)
            {
                throw new InvalidDataException($"--keep-runs {settings.KeepRuns} must be 0 (keep every run) or a positive number.");
            }

            using var pacer = new RequestPacer(settings.RequestsPerSecond);
            await using var sources = new RescoreSources(settings, pacer);
            var source = sources.Source();
            var bundle = ModelBundleLoader.Load(settings.Model);
            var calibration = ScoreCalibration.Of(bundle.Manifest);
            var thresholds = calibration.Resolve(
                settings.QualityThreshold is { } q ? ThresholdSpec.Parse(q, "--quality-threshold") : null,
                settings.AlignmentThreshold is { } a ? ThresholdSpec.Parse(a, "--alignment-threshold") : null);
            if (settings.DryRun)
            {
                return await RescoreDryRun.RunAsync(settings, host, source, output, cancellationToken).ConfigureAwait(false);
            }

            var modelHash = ModelIdentity.ComputeFullHash(bundle.Manifest);
            var mode = settings.Enqueue ? "enqueue" : "score";
            var store = sources.RunStore();
            if (store is not null)
            {
                // The stored checkpoints join the local ones, so the run picked below is the one a persistent disk would give.
                if (await store.EnsureReadyAsync(cancellationToken).ConfigureAwait(false) is { } created)
                {
                    await output.WriteLineAsync(created).ConfigureAwait(false);
                }

                await store.PullCheckpointsAsync(settings.RunsRoot, cancellationToken).ConfigureAwait(false);
            }

            var run = settings.Resume is { } id
                ? RunFolder.Open(settings.RunsRoot, id)
                : RunFolder.FindResumable(settings.RunsRoot, source.Description, mode, modelHash)
                    ?? RunFolder.Create(settings.RunsRoot, source.Description, mode, modelHash, TimeProvider.System);
            run.ClearScratch(); // what a killed process was sorting
            var previousRun = RunFolder.FindPrevious(settings.RunsRoot, source.Description, run.RunId);
            if (source is ChangeFeedSource feed)
            {
                feed.Since = previousRun?.State.Cursor; // the cursor the last run left in its run.json (#19)
            }
            if (store is not null)
            {
                await store.OpenAsync(run, cancellationToken).ConfigureAwait(false);
                if (previousRun is not null)
                {
                    await store.PullJournalAsync(previousRun, cancellationToken).ConfigureAwait(false);
                }
            }

            var resumed = run.State.PagesDone > 0 || File.Exists(run.JournalPath);
            await output.WriteLineAsync($"run {run.RunId} ({(resumed ? "resumed" : "new")}) in {run.Path}{(store is null ? "" : $", stored in {store.Description}")}").ConfigureAwait(false);

            var options = new RescoreRunOptions { PageSize = settings.PageSize, Force = settings.Force, AfterCheckpoint = store is null ? null : store.PushCheckpointAsync };
            var watch = Stopwatch.StartNew();
            RescoreProgress counts;
            if (settings.Enqueue)
            {
                await using var queue = sources.Queue();
                if (await queue.EnsureReadyAsync(cancellationToken).ConfigureAwait(false) is { } done)
                {
                    await output.WriteLineAsync(done).ConfigureAwait(false);
                }

                var processor = new EnqueueProcessor(queue, run.RunId, modelHash, thresholds, maxInFlight: 32, pacer);
                counts = await RunWithProgressAsync(host, new RescoreRunner(source, processor, options), run, previousRun, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var loaded = host.LoadEngine();
                var processor = InProcessProcessor.Create(loaded, source, modelHash, settings, thresholds, calibration);
                counts = await RunWithProgressAsync(host, new RescoreRunner(source, processor, options), run, previousRun, cancellationToken).ConfigureAwait(false);
            }

            run.Save(run.State with { Completed = DateTimeOffset.UtcNow, Cursor = (source as ChangeFeedSource)?.End });

            // The journals are in append order: sorted on disk and merged, so no run is held whole (#19).
            using var records = SortedRecords.Create(run.JournalPath, run.ScratchPath);
            using var previousRecords = previousRun is null ? null : SortedRecords.Create(previousRun.JournalPath, run.ScratchPath);
            await RescoreResultsWriter.WriteAsync(run, records.Records(), bundle.Identity.ToModelInfo(), calibration, cancellationToken).ConfigureAwait(false);
            var thumbnails = await ReportThumbnails.CreateAsync(source, records.Records(), settings.WorstCount, settings.MaxImageBytes, cancellationToken).ConfigureAwait(false);
            var report = new RescoreReportData(run.RunId, source.Description, bundle.Identity.ToString(), records.Records(), previousRun?.RunId, previousRecords?.Records(), thumbnails, thresholds);
            await File.WriteAllTextAsync(run.ReportPath, RescoreReport.Render(report), cancellationToken).ConfigureAwait(false);
            if (store is not null)
            {
                await store.PushCompletedAsync(run, cancellationToken).ConfigureAwait(false);
            }

            if (await RunRetention.PruneAsync(settings.RunsRoot, settings.KeepRuns, run.RunId, previousRun?.RunId, store, output, cancellationToken).ConfigureAwait(false) is > 0 and var pruned)
            {
                await output.WriteLineAsync($"removed {pruned} old run(s) beyond --keep-runs {settings.KeepRuns}").ConfigureAwait(false);
            }

            var rate = counts.Processed / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
            var (total, failed, rejected) = Tally(records.Records());
            await output.WriteLineAsync($"{total} items: {counts.Processed} {(settings.Enqueue ? "enqueued" : "scored")} now ({counts.Failed} failed), {counts.Skipped} skipped (same model); {rate:F1}/s in {watch.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);
            await output.WriteLineAsync($"results: {run.ResultsPath}").ConfigureAwait(false);
            await output.WriteLineAsync($"         {run.ResultsParquetPath}").ConfigureAwait(false);
            await output.WriteLineAsync($"report:  {run.ReportPath}").ConfigureAwait(false);
            if (store is not null)
            {
                await output.WriteLineAsync($"stored:  {store.Description}/{run.RunId}/").ConfigureAwait(false);
            }

            return ExitCodes.Of(failed, rejected, settings.FailOnVerdict);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted: the run is checkpointed; run the same command again to resume.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or IpIqaException or FormatException or ExecutionProviderUnavailableException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The command boundary: report anything unforeseen as one line, never a crash.
            await Console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.RunFailed;
        }
    }

    private static async Task<RescoreProgress> RunWithProgressAsync(
        RescoreHost host,
        RescoreRunner runner,
        RunFolder run,
        RunFolder? previousRun,
        CancellationToken cancellationToken)
    {
        // The previous run's records, sorted on disk and looked up by key, for the runner to skip what they cover (#19).
        using var previous = previousRun is null ? null : RecordIndex.Create(previousRun.JournalPath, run.ScratchPath);
        var expected = previous?.Count ?? 0;
        if (host.Terminal is not { } terminal)
        {
            // No terminal (CI, logs, tests): a plain line every few seconds instead of a live bar.
            return await runner.RunAsync(run, previous, new RescoreProgressLines(Console.Error, expected, TimeSpan.FromSeconds(5)), cancellationToken).ConfigureAwait(false);
        }

        RescoreProgress counts = new(0, 0, 0, 0, 0);
        await terminal.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("rescoring", maxValue: Math.Max(expected, 1));
                task.IsIndeterminate = expected == 0;
                var watch = Stopwatch.StartNew();
                var progress = new Progress<RescoreProgress>(p =>
                {
                    var rate = p.Processed / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
                    task.Description = $"{p.Listed} listed, {p.Processed} done, {p.Skipped} skipped, {rate:F1}/s";
                    task.Value = Math.Min(p.Listed, task.MaxValue);
                });
                counts = await runner.RunAsync(run, previous, progress, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return counts;
    }

    /// <summary>How many records there are, how many failed, and how many were rejected by a threshold: one pass, nothing held.</summary>
    private static (long Total, int Failed, int Rejected) Tally(IEnumerable<RescoreRecord> records)
    {
        var (total, failed, rejected) = (0L, 0, 0);
        foreach (var record in records)
        {
            total++;
            failed += record.Status == RescoreRecord.StatusFailed ? 1 : 0;
            rejected += record.Verdict == Verdict.Fail ? 1 : 0;
        }

        return (total, failed, rejected);
    }
}
