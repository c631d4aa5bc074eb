namespace IpIqa.Rescoring;

/// <summary>
/// Everything the report shows about a run's records and the previous run's, gathered in two passes
/// over each (key-ordered, one record per key) stream, one record at a time: counts, failures by
/// code, the drift join (a merge-join on key, so neither run is held), the means and medians
/// (<see cref="ScoreSeries"/>), and the binned charts (<see cref="ReportBins"/>). Memory does not
/// depend on the number of records.
/// </summary>
internal sealed class ReportSummary
{
    private readonly Dictionary<string, (long Count, long First, RescoreRecord Example)> _failures = new(StringComparer.Ordinal);

    private ReportSummary()
    {
    }

    public long Total { get; private set; }
    /// <summary>Records with both scores: <see cref="VerdictCounts.Scored"/> of <see cref="Verdicts"/>, counted once.</summary>
    public long Scored => Verdicts.Scored;

    /// <summary>Records that failed: <see cref="VerdictCounts.Errors"/> of <see cref="Verdicts"/>.</summary>
    public long Failed => Verdicts.Errors;
    public long Skipped { get; private set; }
    public long InBoth { get; private set; }
    public long VerdictsChanged { get; private set; }
    public bool HasPrevious { get; private set; }
    public ScoreSeries Quality { get; } = new();
    public ScoreSeries Alignment { get; } = new();
    public ScoreSeries QualityThen { get; } = new();
    public ScoreSeries AlignmentThen { get; } = new();
    public (double Low, double High) QualityRange { get; private set; }
    public (double Low, double High) AlignmentRange { get; private set; }
    public long[] QualityNow { get; private set; } = [];
    public long[]? QualityBefore { get; private set; }
    public long[] AlignmentNow { get; private set; } = [];
    public long[]? AlignmentBefore { get; private set; }
    public long[] Density { get; private set; } = [];
    public VerdictCounts Verdicts { get; } = new();
    public VerdictCounts VerdictsThen { get; } = new();
    public ReportDrift Drift { get; private set; } = new(null, null);
    public ReportRejections Rejections { get; private set; } = new(null);
    public PromptHeavyHitters RejectedPrompts { get; } = new();

    /// <summary>Error codes by how many records have them (most first, then first seen), with the first such record.</summary>
    public IEnumerable<(string Code, long Count, RescoreRecord Example)> Failures =>
        _failures.OrderByDescending(f => f.Value.Count).ThenBy(f => f.Value.First).Select(f => (f.Key, f.Value.Count, f.Value.Example));

    /// <summary>
    /// Summarises <paramref name="records"/> and <paramref name="previous"/> (null: no previous run), both in
    /// ordinal key order; <paramref name="thresholds"/> (this run's) give the rejected images' margins and, with
    /// <paramref name="previousThresholds"/> (as the previous run recorded them), tell a threshold change from moved scores.
    /// </summary>
    /// <exception cref="ArgumentException">A stream is not in strictly increasing key order.</exception>
    public static ReportSummary Of(IEnumerable<RescoreRecord> records, IEnumerable<RescoreRecord>? previous, Core.Contracts.Thresholds? thresholds = null, Core.Contracts.Thresholds? previousThresholds = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var summary = new ReportSummary
        {
            HasPrevious = previous is not null,
            Rejections = new ReportRejections(thresholds),
            Drift = new ReportDrift(thresholds, previousThresholds),
        };
        summary.FirstPass(records, previous ?? []);
        summary.QualityRange = Union(summary.Quality, summary.QualityThen);
        summary.AlignmentRange = Union(summary.Alignment, summary.AlignmentThen);
        summary.SecondPass(records, previous);
        return summary;
    }

    private static bool IsScored(RescoreRecord r) => r.Quality is not null && r.Alignment is not null;

    private static (double Low, double High) Union(ScoreSeries now, ScoreSeries then) =>
        ReportBins.Range([now.Low, now.High], [then.Low, then.High]);

    private void FirstPass(IEnumerable<RescoreRecord> records, IEnumerable<RescoreRecord> previous)
    {
        using var before = Ordered(previous, "previous").GetEnumerator();
        var more = before.MoveNext();
        foreach (var record in Ordered(records, "records"))
        {
            while (more && string.CompareOrdinal(before.Current.Key, record.Key) < 0)
            {
                AddPrevious(before.Current);
                more = before.MoveNext();
            }

            var matched = more && before.Current.Key == record.Key ? before.Current : null;
            AddCurrent(record, matched);
            if (matched is not null)
            {
                AddPrevious(matched);
                more = before.MoveNext();
            }
        }

        for (; more; more = before.MoveNext())
        {
            AddPrevious(before.Current);
        }
    }

    private void AddCurrent(RescoreRecord record, RescoreRecord? before)
    {
        Total++;
        Skipped += record.Skipped ? 1 : 0;
        Verdicts.Add(record);
        if (record.Verdict == Core.Contracts.Verdict.Fail)
        {
            Rejections.Add(record);
            RejectedPrompts.Add(record.Prompt ?? "");
        }

        if (record.ErrorCode is { } code)
        {
            _failures[code] = _failures.TryGetValue(code, out var f) ? (f.Count + 1, f.First, f.Example) : (1, Total, record);
        }

        if (!IsScored(record))
        {
            return;
        }

        Quality.Add(record.Quality!.Value);
        Alignment.Add(record.Alignment!.Value);
        if (before is not null && IsScored(before))
        {
            InBoth++;
            VerdictsChanged += before.Verdict != record.Verdict ? 1 : 0;
            Drift.Add(record, before);
        }
    }

    private void AddPrevious(RescoreRecord record)
    {
        VerdictsThen.Add(record);
        if (IsScored(record))
        {
            QualityThen.Add(record.Quality!.Value);
            AlignmentThen.Add(record.Alignment!.Value);
        }
    }

    private void SecondPass(IEnumerable<RescoreRecord> records, IEnumerable<RescoreRecord>? previous)
    {
        QualityNow = new long[ReportBins.HistogramBins];
        AlignmentNow = new long[ReportBins.HistogramBins];
        Density = new long[ReportBins.DensityColumns * ReportBins.DensityRows];
        foreach (var r in records.Where(IsScored))
        {
            var (q, a) = (r.Quality!.Value, r.Alignment!.Value);
            Quality.Bin(q);
            Alignment.Bin(a);
            ReportBins.Count(QualityNow, q, QualityRange);
            ReportBins.Count(AlignmentNow, a, AlignmentRange);
            ReportBins.CountPoint(Density, q, a, QualityRange, AlignmentRange);
        }

        if (previous is null)
        {
            return;
        }

        QualityBefore = new long[ReportBins.HistogramBins];
        AlignmentBefore = new long[ReportBins.HistogramBins];
        foreach (var r in previous.Where(IsScored))
        {
            QualityThen.Bin(r.Quality!.Value);
            AlignmentThen.Bin(r.Alignment!.Value);
            ReportBins.Count(QualityBefore, r.Quality!.Value, QualityRange);
            ReportBins.Count(AlignmentBefore, r.Alignment!.Value, AlignmentRange);
        }
    }

    private static IEnumerable<RescoreRecord> Ordered(IEnumerable<RescoreRecord> records, string name)
    {
        string? last = null;
        foreach (var record in records)
        {
            if (last is not null && string.CompareOrdinal(last, record.Key) >= 0)
            {
                throw new ArgumentException($"The report's {name} must be in increasing key order: '{record.Key}' follows '{last}'.", nameof(records));
            }

            last = record.Key;
            yield return record;
        }
    }
}
