using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// The <see cref="Limit"/> rejected images furthest below their thresholds, in one pass that holds at
/// most that many: the margin of an image is its largest shortfall, threshold minus score, over the
/// outputs it failed (#15). With no thresholds nothing is rejected and the list stays empty.
/// </summary>
internal sealed class ReportRejections(Thresholds? thresholds)
{
    public const int Limit = 50;

    private readonly PriorityQueue<Rejection, double> _kept = new(Limit + 1);

    public Thresholds Thresholds { get; } = thresholds ?? Thresholds.None;

    /// <summary>The kept images, furthest below first.</summary>
    public IReadOnlyList<Rejection> Worst() =>
        [.. _kept.UnorderedItems.Select(r => r.Element).OrderByDescending(r => r.Margin).ThenBy(r => r.Record.Key, StringComparer.Ordinal)];

    public void Add(RescoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Margin(record) is not { } margin)
        {
            return;
        }

        if (_kept.Count < Limit)
        {
            _kept.Enqueue(new Rejection(record, margin), margin);
        }
        else if (margin > _kept.Peek().Margin)
        {
            _kept.DequeueEnqueue(new Rejection(record, margin), margin);
        }
    }

    /// <summary>How far below its thresholds a scored image is (positive), or null when it meets them.</summary>
    public double? Margin(RescoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Quality is not { } q || record.Alignment is not { } a)
        {
            return null;
        }

        var shortfall = Math.Max(Shortfall(q, Thresholds.Quality), Shortfall(a, Thresholds.Alignment));
        return shortfall > 0 ? shortfall : null;
    }

    private static double Shortfall(double score, double? threshold) =>
        threshold is { } t && double.IsFinite(t) ? (double.IsFinite(score) ? t - score : double.PositiveInfinity) : 0;

    /// <summary>A rejected image and how far below its thresholds it is.</summary>
    internal sealed record Rejection(RescoreRecord Record, double Margin);
}
