namespace IpIqa.Rescoring;

/// <summary>
/// What a run does with each item: score it in-process, or enqueue a job for the worker fleet.
/// Item failures come back as a record with an error code; only cancellation throws.
/// </summary>
public interface IRescoreProcessor
{
    /// <summary>Items the runner keeps in progress at once.</summary>
    int MaxInFlight { get; }

    /// <summary>The full hash of the model that scores the items (skips compare it).</summary>
    string ModelHash { get; }

    Task<RescoreRecord> ProcessAsync(RescoreItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a previous run's record of an unchanged item (same version, prompt and model) means
    /// this run has nothing to do for it: scoring here needs a score; handing to the fleet is done
    /// once the item was scored or handed over before.
    /// </summary>
    bool IsDone(RescoreRecord earlier);

    /// <summary>
    /// The record of <paramref name="item"/> when a previous run already scored it with this model:
    /// <paramref name="earlier"/> marked skipped, with anything that depends on this run (the
    /// verdict under this run's thresholds) decided again.
    /// </summary>
    RescoreRecord CarryForward(RescoreRecord earlier, RescoreItem item);
}
