namespace IpIqa.Rescoring;

/// <summary>
/// Why verdicts changed since the previous run, image by image as the merge-join meets them: the
/// model changed (another model hash), the scores moved (same model, other scores: the image or its
/// prompt changed), or the thresholds changed (same model, same scores, another verdict). Also keeps
/// the <see cref="Limit"/> images whose scores moved most, in memory bounded by that limit (#15).
/// </summary>
internal sealed class ReportDrift
{
    public const int Limit = 10;

    /// <summary>Scores closer than this are the same scores (they are read back from JSON text).</summary>
    private const double Same = 1e-9;

    private readonly PriorityQueue<Moved, double> _moved = new(Limit + 1);

    public long ByModel { get; private set; }
    public long ByScores { get; private set; }
    public long ByThresholds { get; private set; }
    public long Changed => ByModel + ByScores + ByThresholds;

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
            else if (moved)
            {
                ByScores++;
            }
            else
            {
                ByThresholds++;
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

    /// <summary>An image whose scores moved by <paramref name="Distance"/> (the larger of the two outputs' moves).</summary>
    internal sealed record Moved(RescoreRecord Now, RescoreRecord Before, double Distance);
}
