using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// Chains of delta runs (#19). A new run is a delta of the previous finished run of its source when
/// that run used the same mode, model and thresholds (so its records still hold) and the run was not
/// forced; it is a full run, which journals every item and compacts the chain, after
/// <see cref="MaxDeltas"/> deltas or once the chain's delta journals exceed half its full run's journal.
/// </summary>
public static class RunChain
{
    /// <summary>Deltas in a row before a run is full again.</summary>
    public const int MaxDeltas = 8;

    /// <summary>The run <paramref name="run"/> is a delta of.</summary>
    /// <exception cref="InvalidDataException">The base run is not under <paramref name="root"/>.</exception>
    public static RunFolder Base(string root, RunFolder run, string baseRunId)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return RunFolder.Open(root, baseRunId);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Run {run.RunId} holds only the changes since run {baseRunId}, which is missing under '{root}': restore that run folder, or start a full run with --force.", ex);
        }
    }

    /// <summary><paramref name="run"/>, then each base run down to the full run at the root of the chain.</summary>
    public static IReadOnlyList<RunFolder> Of(string root, RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var chain = new List<RunFolder> { run };
        while (chain[^1].State.BaseRunId is { } baseId)
        {
            if (chain.Count > MaxDeltas + 1 || chain.Exists(r => r.RunId == baseId))
            {
                throw new InvalidDataException($"The chain of run {run.RunId} does not end in a full run within {MaxDeltas} deltas.");
            }

            chain.Add(Base(root, chain[^1], baseId));
        }

        return chain;
    }

    /// <summary>The run id a new run should be a delta of (null: a full run), from the previous finished run of the source.</summary>
    public static string? BaseFor(string root, RunFolder? previous, string mode, string modelHash, RunThresholds thresholds, bool force)
    {
        if (force || previous is null
            || previous.State.Mode != mode || previous.State.ModelHash != modelHash || previous.State.Thresholds != thresholds
            || previous.State.Depth >= MaxDeltas)
        {
            return null;
        }

        var chain = Of(root, previous);
        var deltaBytes = chain.Take(chain.Count - 1).Sum(r => JournalBytes(r));
        return deltaBytes * 2 > JournalBytes(chain[^1]) ? null : previous.RunId;
    }

    private static long JournalBytes(RunFolder run) => File.Exists(run.JournalPath) ? new FileInfo(run.JournalPath).Length : 0;
}
