
namespace IpIqa.Rescoring;

/// <summary>
/// What the HTML report shows: this run's records and, when there is one, the previous run's; the
/// run's thresholds, where set, are drawn on the charts.
/// </summary>
internal sealed record RescoreReportData(
    string RunId,
    string Source,
    string Model,
    IReadOnlyList<RescoreRecord> Records,
    string? PreviousRunId,
    IReadOnlyList<RescoreRecord>? Previous,
    IReadOnlyList<ReportThumbnail> Worst,
    Core.Contracts.Thresholds? Thresholds = null);
