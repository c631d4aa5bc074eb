namespace IpIqa.Rescoring;

/// <summary>
/// Which run folders <c>--keep-runs K</c> removes after a run: every run beyond the K newest, except
/// the runs a later night still needs. Always kept: the run just finished, the run it compared with,
/// the newest finished run of every source (the next run of that source skips what it scored), and
/// every unfinished run (a resumable run of any source, mode or model, or one in progress in another
/// process), and every run that a kept run is a delta of, down its chain to the full run (#19).
/// K = 0 keeps everything. Folders whose <c>run.json</c> does not read are not runs and
/// are never touched.
/// </summary>
public static class RunRetention
{
    /// <summary>The default of <c>--keep-runs</c>: two weeks of nightly runs.</summary>
    public const int DefaultKeep = 14;

    /// <summary>
    /// The runs of <paramref name="runs"/> (oldest first, as <see cref="RunFolder.List"/> gives them) to
    /// remove when keeping <paramref name="keep"/>, oldest first; <paramref name="current"/> and
    /// <paramref name="previous"/> are the run just finished and the one it compared with.
    /// </summary>
    public static IReadOnlyList<RunFolder> Expired(IReadOnlyList<RunFolder> runs, int keep, string current, string? previous)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        if (keep == 0 || runs.Count <= keep)
        {
            return [];
        }

        var newestFinished = runs.Where(r => r.State.Completed is not null)
            .GroupBy(r => r.State.Source, StringComparer.Ordinal)
            .Select(g => g.Last().RunId)
            .ToHashSet(StringComparer.Ordinal);
        var expired = runs.Take(runs.Count - keep)
            .Where(r => r.State.Completed is not null
                && r.RunId != current
                && r.RunId != previous
                && !newestFinished.Contains(r.RunId))
            .ToArray();

        // A kept delta run's records need every run down its chain.
        var byId = runs.ToDictionary(r => r.RunId, StringComparer.Ordinal);
        var expiredIds = expired.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs.Where(r => !expiredIds.Contains(r.RunId)))
        {
            for (var baseId = run.State.BaseRunId; baseId is not null && needed.Add(baseId); baseId = byId.GetValueOrDefault(baseId)?.State.BaseRunId)
            {
            }
        }

        return expired.Where(r => !needed.Contains(r.RunId)).ToArray();
    }

    /// <summary>
    /// Removes the expired runs of <paramref name="root"/> (and of <paramref name="store"/>, when given);
    /// returns how many went. A folder that cannot be removed is named on <paramref name="output"/> and
    /// left for the next run: retention never fails a run that has finished.
    /// </summary>
    public static async Task<int> PruneAsync(string root, int keep, string current, string? previous, IRunStore? store, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var removed = 0;
        foreach (var run in Expired(RunFolder.List(root), keep, current, previous))
        {
            try
            {
                if (store is not null)
                {
                    await store.DeleteRunAsync(run.RunId, cancellationToken).ConfigureAwait(false);
                }

                Directory.Delete(run.Path, recursive: true);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or global::Azure.RequestFailedException)
            {
                await output.WriteLineAsync($"warning: old run {run.RunId} was not removed: {ex.Message}").ConfigureAwait(false);
            }
        }

        return removed;
    }
}
