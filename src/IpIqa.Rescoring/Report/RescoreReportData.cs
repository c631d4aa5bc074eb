
namespace IpIqa.Rescoring;

/// <summary>
/// What the HTML report shows: this run's records and, when there is one, the previous run's, each
/// in ordinal key order with one record per key (as <see cref="SortedRecords"/> gives them; each is
/// read a few times, one record at a time); the run's thresholds, where set, are drawn on the charts.
/// </summary>
internal sealed record RescoreReportData(
    string RunId,
    string Source,
    string Model,
    IEnumerable<RescoreRecord> Records,
    string? PreviousRunId,
    IEnumerable<RescoreRecord>? Previous,
    IReadOnlyList<ReportThumbnail> Worst,
    Core.Contracts.Thresholds? Thresholds = null)
{
    /// <summary>The previous run's thresholds as its <c>run.json</c> recorded them; null when it did not (older runs).</summary>
    public Core.Contracts.Thresholds? PreviousThresholds { get; init; }

    /// <summary>The rejected images explained by <c>--explain N</c> (<see cref="ReportExplanations"/>), by key; empty without it.</summary>
    public IReadOnlyDictionary<string, ReportExplanation> Explained { get; init; } = new Dictionary<string, ReportExplanation>();
}
