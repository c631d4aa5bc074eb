using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// Why verdicts changed since the previous run, image by image as the merge-join meets them: the
/// model changed (another model hash); the thresholds changed (both runs recorded their thresholds, they
/// differ, and the previous scores under this run's thresholds already give this run's verdict); else the
/// scores moved (same model, other scores: the image or its prompt changed). When either run did not record
/// its thresholds (runs from before they were kept), a change with the same model and the same scores is
/// put down to the thresholds, the only thing left (<see cref="ThresholdsRead"/> is false). Also keeps
/// the <see cref="Limit"/> images whose scores moved most, in memory bounded by that limit (#15).
/// </summary>
internal sealed class ReportDrift(Thresholds? thresholds, Thresholds? previousThresholds)
{
    private readonly VerdictCalculator? _nowVerdicts = thresholds is not null && previousThresholds is not null && thresholds != previousThresholds ? new VerdictCalculator(thresholds) : null;

    public const int Limit = 10;

    /// <summary>Scores closer than this are the same scores (they are read back from JSON text).</summary>
    private const double Same = 1e-9;

    private readonly PriorityQueue<Moved, double> _moved = new(Limit + 1);

    public long ByModel { get; private set; }
    public long ByScores { get; private set; }
    public long ByThresholds { get; private set; }
    public long Changed => ByModel + ByScores + ByThresholds;

    /// <summary>True when both runs recorded their thresholds, so a threshold change is read, not inferred.</summary>
    public bool ThresholdsRead { get; } = thresholds is not null && previousThresholds is not null;

    /// <summary>The images whose scores moved most (largest move first).</summary>
    public IReadOnlyList<Moved> MostMoved() =>
        [.. _moved.UnorderedItems.Select(m => m.Element).OrderByDescending(m => m.Distance).ThenBy(m => m.Now.Key, StringComparer.Ordinal)];

    /// <summary>One image scored in both runs.</summary>
    public void Add(RescoreRecord now, RescoreRecord before)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(before);
        var (dq, da) = (now.Quality!.Value - before.Quality!.Value, now.Alignment!.Value - before.Alignment!.Value);
        var moved = !(Math.Abs(dq) <= Same && Math.Abs(da) <= Same);
        if (!string.Equals(now.Verdict, before.Verdict, StringComparison.Ordinal))
        {
            if (!string.Equals(now.ModelHash, before.ModelHash, StringComparison.Ordinal))
            {
                ByModel++;
            }
            else if (ThresholdsRead ? ThresholdsExplain(now, before) : !moved)
            {
                ByThresholds++;
            }
            else
            {
                ByScores++;
            }
        }

        var distance = Math.Max(Math.Abs(dq), Math.Abs(da));
        if (!moved || !double.IsFinite(distance))
        {
            return;
        }

        if (_moved.Count < Limit)
        {
            _moved.Enqueue(new Moved(now, before, distance), distance);
        }
        else if (distance > _moved.Peek().Distance)
        {
            _moved.DequeueEnqueue(new Moved(now, before, distance), distance);
        }
    }

    /// <summary>The thresholds differ and the previous scores judged by this run's thresholds give this run's verdict.</summary>
    private bool ThresholdsExplain(RescoreRecord now, RescoreRecord before) =>
        _nowVerdicts is not null
        && string.Equals(_nowVerdicts.Decide(new Scores(before.Quality!.Value, before.Alignment!.Value)).Outcome, now.Verdict, StringComparison.Ordinal);

    /// <summary>An image whose scores moved by <paramref name="Distance"/> (the larger of the two outputs' moves).</summary>
    internal sealed record Moved(RescoreRecord Now, RescoreRecord Before, double Distance);
}
