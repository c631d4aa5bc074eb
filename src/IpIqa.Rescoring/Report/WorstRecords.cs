namespace IpIqa.Rescoring;

/// <summary>
/// The <c>count</c> scored records of lowest quality (ties by key) among those added, holding at most
/// <c>count</c>: a max-heap whose top is the best kept. Records are added one at a time, so the
/// report's single pass over a run gathers them (#19).
/// </summary>
internal sealed class WorstRecords(int count)
{
    private readonly PriorityQueue<RescoreRecord, RescoreRecord> _kept = new(Math.Max(count, 0) + 1, Comparer<RescoreRecord>.Create(static (x, y) => Compare(y, x)));

    public void Add(RescoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (count <= 0 || record.Quality is null)
        {
            return;
        }

        if (_kept.Count < count)
        {
            _kept.Enqueue(record, record);
        }
        else if (Compare(record, _kept.Peek()) < 0)
        {
            _kept.DequeueEnqueue(record, record);
        }
    }

    /// <summary>The records kept, lowest quality first.</summary>
    public IReadOnlyList<RescoreRecord> Lowest()
    {
        var worst = _kept.UnorderedItems.Select(i => i.Element).ToList();
        worst.Sort(Compare);
        return worst;
    }

    private static int Compare(RescoreRecord x, RescoreRecord y) =>
        x.Quality!.Value.CompareTo(y.Quality!.Value) is var c && c != 0 ? c : string.CompareOrdinal(x.Key, y.Key);
}
