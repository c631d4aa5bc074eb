namespace IpIqa.Rescoring;

/// <summary>
/// The results of a run, one record per key in ordinal key order, resolved through its chain of
/// deltas (#19). A full run's records are its journal's. A delta run's are its base run's records
/// (resolved the same way) at the positions its "seen" lines name, marked skipped, merged with its
/// own journal's records, which win on an equal key; a base record neither seen nor journalled was
/// not listed again (the image is gone) and drops out, except in an incremental run (the change
/// feed), which lists only what changed and keeps every base record but those it journals as
/// deleted (<see cref="RescoreRecord.StatusDeleted"/>). Each journal is sorted on disk
/// (<see cref="SortedRecords"/>); memory is one record per open sorted run and one bit per base
/// record. Disposing deletes the sorted runs.
/// </summary>
public sealed class RunRecords : IDisposable
{
    private readonly SortedRecords _changes;
    private readonly RunRecords? _base;
    private readonly Func<IEnumerable<RescoreRecord>>? _baseRecords;
    private readonly PositionSet? _seen; // null in a delta: every base record is kept (incremental)
    private readonly bool _isDelta;

    private RunRecords(SortedRecords changes, RunRecords? baseRun, Func<IEnumerable<RescoreRecord>>? baseRecords, PositionSet? seen)
    {
        _isDelta = baseRun is not null || baseRecords is not null;
        _changes = changes;
        _base = baseRun;
        _baseRecords = baseRecords;
        _seen = seen;
    }

    /// <summary>
    /// Opens the records of <paramref name="run"/> under <paramref name="root"/>, sorting in
    /// <paramref name="workFolder"/>. <paramref name="baseRecords"/>, when given, are the base run's
    /// records already resolved (such as the <see cref="RecordIndex"/> the run looked them up in).
    /// </summary>
    /// <exception cref="InvalidDataException">A run of the chain is missing.</exception>
    public static RunRecords Open(string root, RunFolder run, string workFolder, Func<IEnumerable<RescoreRecord>>? baseRecords = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var changes = SortedRecords.Open(run.JournalPath, workFolder);
        try
        {
            if (run.State.BaseRunId is not { } baseId)
            {
                return new RunRecords(changes, null, null, null);
            }

            PositionSet? seen = null;
            if (!run.State.Incremental)
            {
                seen = new PositionSet();
                RunJournal.ForEachSeen(run.JournalPath, seen.Add);
            }

            var baseRun = baseRecords is null ? Open(root, RunChain.Base(root, run, baseId), workFolder) : null;
            return new RunRecords(changes, baseRun, baseRecords, seen);
        }
        catch
        {
            changes.Dispose();
            throw;
        }
    }

    /// <summary>The records, one per key, in ordinal key order; every enumeration merges again.</summary>
    public IEnumerable<RescoreRecord> Records()
    {
        foreach (var (now, _) in Pairs())
        {
            if (now is not null)
            {
                yield return now;
            }
        }
    }

    /// <summary>
    /// Every key of this run and of its base, in ordinal key order, with its record in this run (null:
    /// dropped, the image is gone) and in the base run (null: not in the base; always null in a full
    /// run). One merge reads each base record once, so a report of a delta run against its base needs
    /// no second read of the base (#19).
    /// </summary>
    public IEnumerable<(RescoreRecord? Now, RescoreRecord? Base)> Pairs()
    {
        if (!_isDelta)
        {
            foreach (var record in _changes.Records())
            {
                if (record.Status != RescoreRecord.StatusDeleted)
                {
                    yield return (record, null);
                }
            }

            yield break;
        }

        using var earlier = (_baseRecords?.Invoke() ?? _base!.Records()).GetEnumerator();
        using var changed = _changes.Records().GetEnumerator();
        var position = -1L;
        var hasEarlier = earlier.MoveNext();
        var hasChanged = changed.MoveNext();
        while (hasEarlier || hasChanged)
        {
            var order = !hasEarlier ? 1 : !hasChanged ? -1 : string.CompareOrdinal(earlier.Current.Key, changed.Current.Key);
            if (order <= 0)
            {
                position++;
            }

            if (order < 0)
            {
                var kept = _seen?.Contains(position) ?? true;
                yield return (kept ? (earlier.Current.Skipped ? earlier.Current : earlier.Current with { Skipped = true }) : null, earlier.Current);
                hasEarlier = earlier.MoveNext();
                continue;
            }

            var now = changed.Current.Status == RescoreRecord.StatusDeleted ? null : changed.Current; // a deletion drops the key
            if (now is not null || order == 0)
            {
                yield return (now, order == 0 ? earlier.Current : null);
            }
            if (order == 0)
            {
                hasEarlier = earlier.MoveNext();
            }

            hasChanged = changed.MoveNext();
        }
    }

    public void Dispose()
    {
        _changes.Dispose();
        _base?.Dispose();
    }
}
