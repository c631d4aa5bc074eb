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

            if (settings.ExplainCount is < 0 or > ReportExplanations.MaxCount || (settings.ExplainCount > 0 && settings.Enqueue))
            {
                throw new InvalidDataException($"--explain {settings.ExplainCount} must be between 0 and {ReportExplanations.MaxCount}, and needs scoring here (not --enqueue).");
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

            if (settings.Export is { } exportId)
            {
                return await RescoreExport.RunAsync(settings.RunsRoot, exportId, bundle, calibration, store, output, cancellationToken).ConfigureAwait(false);
            }

            var recordedThresholds = RunThresholds.Of(thresholds);
            var lastFinished = RunFolder.FindPrevious(settings.RunsRoot, source.Description, null);
            await PullChainAsync(store, settings.RunsRoot, lastFinished, cancellationToken).ConfigureAwait(false);
            var feed = source as ChangeFeedSource;
            var run = settings.Resume is { } id
                ? RunFolder.Open(settings.RunsRoot, id)
                : RunFolder.FindResumable(settings.RunsRoot, source.Description, mode, modelHash)
                    ?? CreateRun(settings, source.Description, mode, modelHash, recordedThresholds, lastFinished, feed is not null);
            run.ClearScratch(); // what a killed process was sorting
            var previousRun = run.State.BaseRunId is { } baseId
                ? RunChain.Base(settings.RunsRoot, run, baseId)
                : RunFolder.FindPrevious(settings.RunsRoot, source.Description, run.RunId);
            if (feed is not null)
            {
                // An incremental run reads the feed on from its base's cursor; any other lists the whole container (#19).
                feed.Since = run.State.Incremental ? previousRun?.State.Cursor : null;
                feed.ListAllStartedAt = run.State.Incremental ? null : run.State.Started;
            }

            if (store is not null)
            {
                await store.OpenAsync(run, cancellationToken).ConfigureAwait(false);
                if (previousRun is not null && previousRun.RunId != lastFinished?.RunId)
                {
                    await PullChainAsync(store, settings.RunsRoot, previousRun, cancellationToken).ConfigureAwait(false);
                }
            }

            var resumed = run.State.PagesDone > 0 || File.Exists(run.JournalPath);
            await output.WriteLineAsync($"run {run.RunId} ({(resumed ? "resumed" : "new")}{(run.State.BaseRunId is { } b ? $", changes since {b}" : "")}) in {run.Path}{(store is null ? "" : $", stored in {store.Description}")}").ConfigureAwait(false);

            // The previous run's records, resolved through its chain and sorted on disk, looked up by key
            // while the run lists, then read again as the base of this run's records and for drift (#19).
            using var previous = previousRun is null ? null : PreviousIndex(settings.RunsRoot, previousRun, run.ScratchPath);
            var options = new RescoreRunOptions { PageSize = settings.PageSize, Force = settings.Force, AfterCheckpoint = store is null ? null : store.PushCheckpointAsync };
            var watch = Stopwatch.StartNew();
            RescoreProgress counts;

            // One engine scores the run and then explains its worst rejections (--explain N, #15): the model is loaded once.
            await using var loaded = settings.Enqueue ? null : host.LoadEngine();
            ReportExplanations.CheckCanExplain(loaded, settings);
            if (loaded is null)
            {
                await using var queue = sources.Queue();
                if (await queue.EnsureReadyAsync(cancellationToken).ConfigureAwait(false) is { } done)
                {
                    await output.WriteLineAsync(done).ConfigureAwait(false);
                }

                var processor = new EnqueueProcessor(queue, run.RunId, modelHash, thresholds, maxInFlight: 32, pacer);
                counts = await RunWithProgressAsync(host, new RescoreRunner(source, processor, options), run, previous, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var processor = InProcessProcessor.Create(loaded, source, modelHash, settings, thresholds, calibration);
                counts = await RunWithProgressAsync(host, new RescoreRunner(source, processor, options), run, previous, cancellationToken).ConfigureAwait(false);
            }

            run.Save(run.State with { Completed = DateTimeOffset.UtcNow, Thresholds = RunThresholds.Of(thresholds), Cursor = (source as ChangeFeedSource)?.End });

            // The journals are in append order: sorted on disk and merged, so no run is held whole (#19).
            // A delta run's records are its base's (the index above) merged with its own changes.
            using var records = RunRecords.Open(settings.RunsRoot, run, run.ScratchPath, previous is null || run.State.BaseRunId is null ? null : previous.Records);
            var explained = await ReportExplanations.CreateAsync(loaded, source, records.Records(), settings, thresholds, run.Path, cancellationToken).ConfigureAwait(false);
            if (run.State.BaseRunId is null)
            {
                await RescoreResultsWriter.WriteAsync(run, records.Records(), bundle.Identity.ToModelInfo(), calibration, settings.ExplainCount > 0 ? ExplanationIndex.Located(explained, store, run) : null, cancellationToken).ConfigureAwait(false);
            }

            // One pass over the records gathers the report's summary, the worst images and the exit tally (#19).
            // A delta run's drift is against its base, so the merge that resolves it pairs each record with its base's.
            var worst = new WorstRecords(settings.WorstCount);
            var (total, failed, rejected) = (0L, 0, 0);
            var pairs = run.State.BaseRunId is not null && previous is not null ? records.Pairs() : RecordPairs.Join(records.Records(), previous?.Records());
            var previousThresholds = previousRun?.State.Thresholds?.ToThresholds();
            var summary = ReportSummary.Of(pairs, previous is not null, thresholds, previousThresholds, run.ScratchPath, record =>
            {
                total++;
                failed += record.Status == RescoreRecord.StatusFailed ? 1 : 0;
                rejected += record.Verdict == Verdict.Fail ? 1 : 0;
                worst.Add(record);
            });
            var thumbnails = await ReportThumbnails.CreateAsync(source, worst.Lowest(), settings.MaxImageBytes, cancellationToken).ConfigureAwait(false);
            var report = new RescoreReportData(run.RunId, source.Description, bundle.Identity.ToString(), [], previousRun?.RunId, null, thumbnails, thresholds)
            {
                PreviousThresholds = previousThresholds,
                Explained = explained,
            };
            await File.WriteAllTextAsync(run.ReportPath, RescoreReport.Render(report, summary), cancellationToken).ConfigureAwait(false);
            if (store is not null)
            {
                await store.PushCompletedAsync(run, cancellationToken).ConfigureAwait(false);
            }

            if (await RunRetention.PruneAsync(settings.RunsRoot, settings.KeepRuns, run.RunId, previousRun?.RunId, store, output, cancellationToken).ConfigureAwait(false) is > 0 and var pruned)
            {
                await output.WriteLineAsync($"removed {pruned} old run(s) beyond --keep-runs {settings.KeepRuns}").ConfigureAwait(false);
            }

            var rate = counts.Processed / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
            await output.WriteLineAsync($"{total} items: {counts.Processed} {(settings.Enqueue ? "enqueued" : "scored")} now ({counts.Failed} failed), {counts.Skipped} skipped (same model); {rate:F1}/s in {watch.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);
            if (run.State.BaseRunId is null)
            {
                await output.WriteLineAsync($"results: {run.ResultsPath}").ConfigureAwait(false);
                await output.WriteLineAsync($"         {run.ResultsParquetPath}").ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync($"results: the changes since run {run.State.BaseRunId} in {run.JournalPath}; the same command with --export {run.RunId} writes results.csv and results.parquet").ConfigureAwait(false);
            }

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
        RecordIndex? previous,
        CancellationToken cancellationToken)
    {
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

    /// <summary>The records of <paramref name="previousRun"/>, resolved through its chain, as a <see cref="RecordIndex"/> in <paramref name="workFolder"/>.</summary>
    private static RecordIndex PreviousIndex(string root, RunFolder previousRun, string workFolder)
    {
        if (previousRun.State.BaseRunId is null)
        {
            return RecordIndex.OfJournal(previousRun.JournalPath, workFolder); // a full run's journal, read in place when it is key-sorted
        }

        using var records = RunRecords.Open(root, previousRun, workFolder);
        return RecordIndex.Create(records.Records(), workFolder);
    }

    /// <summary>Copies the stored journals of <paramref name="run"/> and of each run it is a delta of over the local ones.</summary>
    private static async Task PullChainAsync(IRunStore? store, string root, RunFolder? run, CancellationToken cancellationToken)
    {
        if (store is null || run is null)
        {
            return;
        }

        foreach (var link in RunChain.Of(root, run))
        {
            await store.PullJournalAsync(link, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A new run: a delta of <paramref name="lastFinished"/> where <see cref="RunChain.BaseFor"/> allows
    /// it, else a full run. A change feed run is a delta only of a run that left a cursor, and is then
    /// incremental: the base's records it does not list are kept (#19).
    /// </summary>
    private static RunFolder CreateRun(RescoreSettings settings, string source, string mode, string modelHash, RunThresholds thresholds, RunFolder? lastFinished, bool changeFeed)
    {
        var noCursor = changeFeed && lastFinished?.State.Cursor is null;
        var baseRun = RunChain.BaseFor(settings.RunsRoot, lastFinished, mode, modelHash, thresholds, settings.Force || noCursor) is null ? null : lastFinished;
        var run = RunFolder.Create(settings.RunsRoot, source, mode, modelHash, TimeProvider.System, baseRun, thresholds);
        if (changeFeed && baseRun is not null)
        {
            run.Save(run.State with { Incremental = true });
        }

        return run;
    }
}
