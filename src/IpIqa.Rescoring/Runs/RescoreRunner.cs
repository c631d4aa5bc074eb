using IpIqa.Core.Errors;

namespace IpIqa.Rescoring;

/// <summary>
/// Runs one rescoring pass: lists the source page by page from the run's checkpoint, skips what
/// this run already journalled and what the previous run scored with the same model (carrying its
/// record forward), processes the rest with at most <see cref="IRescoreProcessor.MaxInFlight"/> in
/// progress, journals each item as it finishes, and moves the checkpoint after every page (then
/// calls <see cref="RescoreRunOptions.AfterCheckpoint"/>). A run killed at any point resumes with
/// no duplicates and no gaps. A delta run (<see cref="RunState.BaseRunId"/>) journals only what it
/// processes; an unchanged item costs one "seen" position in the page's seen line, not a record (#19).
/// </summary>
public sealed class RescoreRunner(IRescoreSource source, IRescoreProcessor processor, RescoreRunOptions options)
{
    /// <summary>
    /// Runs (or resumes) <paramref name="run"/>; <paramref name="previous"/> holds the last finished
    /// run's records by key (null: none), and for a delta run it must be its base run's records.
    /// </summary>
    public async Task<RescoreProgress> RunAsync(
        RunFolder run,
        RecordIndex? previous,
        IProgress<RescoreProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var delta = run.State.BaseRunId is not null;
        if (delta && previous is null)
        {
            throw new InvalidDataException($"Run {run.RunId} holds only the changes since run {run.State.BaseRunId}, but that run's records were not given.");
        }

        var seen = new List<long>();
        using var journal = RunJournal.Open(run.JournalPath, run.ScratchPath);
        var counts = new Counter(journal.OpenedCount);
        await foreach (var page in source.ListAsync(run.State.ContinuationToken, options.PageSize, cancellationToken).ConfigureAwait(false))
        {
            var window = new Queue<Task<RescoreRecord>>();
            foreach (var item in page.Items)
            {
                if (journal.ContainsOpened(item.Key))
                {
                    continue; // finished before a restart
                }

                if (item.Deleted)
                {
                    // Drops the key from the results; a key the base never held (created and deleted between two runs) leaves no line (#19).
                    if (previous is not null && previous.TryGet(item.Key, out _))
                    {
                        counts.Listed(0);
                        journal.Append(RescoreRecord.For(item, processor.ModelHash, RescoreRecord.StatusDeleted));
                    }

                    continue;
                }

                counts.Listed(item.Size);

                if (!options.Force && previous is not null && previous.TryGet(item.Key, out var earlier, out var position) && processor.IsDone(earlier) && earlier.Covers(item, processor.ModelHash))
                {
                    if (delta)
                    {
                        seen.Add(position);
                    }
                    else
                    {
                        journal.Append(processor.CarryForward(earlier, item) with { PromptVersion = item.PromptVersion }); // the prompt it covers is this one's
                    }

                    counts.Skip();
                    progress?.Report(counts.Snapshot());
                    continue;
                }

                window.Enqueue(item.ProblemCode is not null || item.Prompt is null ? Task.FromResult(Unscorable(item)) : processor.ProcessAsync(item, cancellationToken));
                if (window.Count >= processor.MaxInFlight)
                {
                    Finish(await window.Dequeue().ConfigureAwait(false), journal, counts, progress);
                }
            }

            while (window.Count > 0)
            {
                Finish(await window.Dequeue().ConfigureAwait(false), journal, counts, progress);
            }

            journal.AppendSeen(seen);
            journal.Sync();
            run.Save(run.State with { ContinuationToken = page.ContinuationToken, PagesDone = run.State.PagesDone + 1 });
            if (options.AfterCheckpoint is { } afterCheckpoint)
            {
                await afterCheckpoint(run, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        journal.Sync();
        return counts.Snapshot();
    }

    private RescoreRecord Unscorable(RescoreItem item) =>
        RescoreRecord.For(item, processor.ModelHash, RescoreRecord.StatusFailed) with
        {
            ErrorCode = item.ProblemCode ?? ErrorCodes.PromptMissing,
            ErrorMessage = item.Problem ?? $"'{item.Key}' has no prompt in its source.",
        };

    private static void Finish(RescoreRecord record, RunJournal journal, Counter counts, IProgress<RescoreProgress>? progress)
    {
        journal.Append(record);
        counts.Done(record.Status == RescoreRecord.StatusFailed);
        progress?.Report(counts.Snapshot());
    }

    private sealed class Counter(long resumed)
    {
        private long _listed = resumed;
        private long _processed;
        private long _skipped;
        private long _failed;
        private long _bytes;

        public void Listed(long size)
        {
            _listed++;
            _bytes += size;
        }

        public void Skip() => _skipped++;

        public void Done(bool failed)
        {
            _processed++;
            if (failed)
            {
                _failed++;
            }
        }

        public RescoreProgress Snapshot() => new(_listed, _processed, _skipped, _failed, _bytes);
    }
}
