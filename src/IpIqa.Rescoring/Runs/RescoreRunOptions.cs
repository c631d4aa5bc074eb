namespace IpIqa.Rescoring;

/// <summary>How a run lists and what it skips.</summary>
public sealed record RescoreRunOptions
{
    /// <summary>Items per listing page; the checkpoint moves once per page.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Rescore items a previous run scored with the same model, item version and prompt.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Called after every checkpoint: the page's journal lines are on disk and <c>run.json</c> has been
    /// replaced. The runner awaits it before it lists the next page, so the journal does not grow
    /// meanwhile (an <see cref="IRunStore"/> stores the checkpoint here). An exception stops the run.
    /// </summary>
    public Func<RunFolder, CancellationToken, Task>? AfterCheckpoint { get; init; }
}
