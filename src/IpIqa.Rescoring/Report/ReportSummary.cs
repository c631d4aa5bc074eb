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
    public static ReportSummary Of(IEnumerable<RescoreRecord> records, IEnumerable<RescoreRecord>? previous, Core.Contracts.Thresholds? thresholds = null, Core.Contracts.Thresholds? previousThresholds = null) =>
        Of(RecordPairs.Join(records, previous), previous is not null, thresholds, previousThresholds);

    /// <summary>
    /// Summarises the key-ordered <paramref name="pairs"/> of this run's record and the previous run's
    /// (either null where a run lacks the key) in one pass over the records: the scores are kept in a
    /// <see cref="ScoreSpill"/> under <paramref name="workFolder"/> (null: the temporary folder) for the
    /// binning, which needs the ranges first. <paramref name="each"/> sees every record of this run, so
    /// a caller gathers more in the same pass (#19).
    /// </summary>
    public static ReportSummary Of(
        IEnumerable<(RescoreRecord? Now, RescoreRecord? Then)> pairs,
        bool hasPrevious,
        Core.Contracts.Thresholds? thresholds,
        Core.Contracts.Thresholds? previousThresholds,
        string? workFolder = null,
        Action<RescoreRecord>? each = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var summary = new ReportSummary
        {
            HasPrevious = hasPrevious,
            Rejections = new ReportRejections(thresholds),
            Drift = new ReportDrift(thresholds, previousThresholds),
        };
        using var spill = new ScoreSpill(workFolder);
        foreach (var (now, then) in pairs)
        {
            if (now is not null)
            {
                summary.AddCurrent(now, then, spill);
                each?.Invoke(now);
            }

            if (then is not null && hasPrevious)
            {
                summary.AddPrevious(then, spill);
            }
        }

        summary.QualityRange = Union(summary.Quality, summary.QualityThen);
        summary.AlignmentRange = Union(summary.Alignment, summary.AlignmentThen);
        summary.SecondPass(spill);
        return summary;
    }

    private static bool IsScored(RescoreRecord r) => r.Quality is not null && r.Alignment is not null;

    private static (double Low, double High) Union(ScoreSeries now, ScoreSeries then) =>
        ReportBins.Range([now.Low, now.High], [then.Low, then.High]);

    private void AddCurrent(RescoreRecord record, RescoreRecord? before, ScoreSpill spill)
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
        spill.Add(false, record.Quality.Value, record.Alignment.Value);
        if (before is not null && IsScored(before))
        {
            InBoth++;
            VerdictsChanged += before.Verdict != record.Verdict ? 1 : 0;
            Drift.Add(record, before);
        }
    }

    private void AddPrevious(RescoreRecord record, ScoreSpill spill)
    {
        VerdictsThen.Add(record);
        if (IsScored(record))
        {
            QualityThen.Add(record.Quality!.Value);
            AlignmentThen.Add(record.Alignment!.Value);
            spill.Add(true, record.Quality.Value, record.Alignment.Value);
        }
    }

    private void SecondPass(ScoreSpill spill)
    {
        QualityNow = new long[ReportBins.HistogramBins];
        AlignmentNow = new long[ReportBins.HistogramBins];
        Density = new long[ReportBins.DensityColumns * ReportBins.DensityRows];
        QualityBefore = HasPrevious ? new long[ReportBins.HistogramBins] : null;
        AlignmentBefore = HasPrevious ? new long[ReportBins.HistogramBins] : null;
        spill.ForEach((previous, q, a) =>
        {
            if (previous)
            {
                QualityThen.Bin(q);
                AlignmentThen.Bin(a);
                ReportBins.Count(QualityBefore!, q, QualityRange);
                ReportBins.Count(AlignmentBefore!, a, AlignmentRange);
                return;
            }

            Quality.Bin(q);
            Alignment.Bin(a);
            ReportBins.Count(QualityNow, q, QualityRange);
            ReportBins.Count(AlignmentNow, a, AlignmentRange);
            ReportBins.CountPoint(Density, q, a, QualityRange, AlignmentRange);
        });
    }
}
