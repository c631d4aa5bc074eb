namespace IpIqa.Rescoring;

/// <summary>
/// A durable home for run folders (for example a blob container) for hosts whose disk ends with the
/// process, such as a scheduled container job. The local runs root stays the working copy: the store
/// fills it before a run is picked, so <see cref="RunFolder.FindResumable"/> and
/// <see cref="RunFolder.FindPrevious"/> pick what they would pick on a persistent disk, and it takes
/// every checkpoint, journal lines first, so the stored journal always covers the stored checkpoint.
/// </summary>
public interface IRunStore
{
    /// <summary>Names the store in the command's output.</summary>
    string Description { get; }

    /// <summary>Creates the store when it is missing and this identity may; a line for the console when it did, else null.</summary>
    Task<string?> EnsureReadyAsync(CancellationToken cancellationToken);

    /// <summary>Copies every stored run's checkpoint (<c>run.json</c>) into <paramref name="root"/>, replacing local copies.</summary>
    Task PullCheckpointsAsync(string root, CancellationToken cancellationToken);

    /// <summary>Copies the stored journal of <paramref name="run"/> (one this process only reads, such as the previous run) over the local one.</summary>
    Task PullJournalAsync(RunFolder run, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the stored explanation index of <paramref name="run"/> (<c>explanations/explained.jsonl</c>, #15) over the
    /// local one, when the store has one; an index over <see cref="ExplanationIndex.MaxBytes"/> or with a line that is not
    /// an explanation is an <see cref="InvalidDataException"/>, and the local copy is left as it was.
    /// </summary>
    Task PullExplanationIndexAsync(RunFolder run, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="run"/> the run this process writes: copies its stored journal over the
    /// local one and notes where it ends, or, when the store has none, stores the local journal and
    /// checkpoint (a new run is then resumable even if it is killed before its first page).
    /// </summary>
    Task OpenAsync(RunFolder run, CancellationToken cancellationToken);

    /// <summary>After a checkpoint of the opened run: stores the journal's new lines, then the checkpoint.</summary>
    Task PushCheckpointAsync(RunFolder run, CancellationToken cancellationToken);

    /// <summary>After the run: stores the journal's last lines, the results, the report and the explanations (<c>--explain N</c>), then the final checkpoint.</summary>
    Task PushCompletedAsync(RunFolder run, CancellationToken cancellationToken);

    /// <summary>Where the store keeps <paramref name="file"/> (a path in the run folder such as <c>explanations/NAME</c>) of <paramref name="run"/>, as the results name it (#15).</summary>
    string Locate(RunFolder run, string file);

    /// <summary>Removes the stored run <paramref name="runId"/> (its checkpoint last, so a removal cut short is a run still listed, removed again next time).</summary>
    Task DeleteRunAsync(string runId, CancellationToken cancellationToken);
}
