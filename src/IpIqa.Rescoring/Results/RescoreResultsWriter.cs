using System.Text;
using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// Writes a run's results from its journal as <c>results.csv</c> and <c>results.parquet</c>: the run's own columns
/// (<see cref="RunColumns"/>: run id, key, status, whether the record was carried forward) followed by the
/// columns every result file has (<see cref="ResultTable"/>), through the same writers as <c>ipiqa score</c>.
/// Both files are written in one pass over the records (Parquet in row groups of
/// <see cref="ParquetResultWriter{TRow}.RowGroupSize"/>), each under a temporary name and renamed.
/// </summary>
internal static class RescoreResultsWriter
{
    /// <summary>The columns of one row: the run's, then the shared result columns of the record's <see cref="ScoringResult"/>.</summary>
    public static IReadOnlyList<ResultColumn<Row>> Columns { get; } =
    [
        ResultColumn<Row>.OfText("run_id", r => r.RunId),
        ResultColumn<Row>.OfText("key", r => r.Record.Key),
        ResultColumn<Row>.OfText("status", r => r.Record.Status),
        ResultColumn<Row>.OfFlag("skipped", r => r.Record.Skipped),
        .. ResultTable.Columns.Select(c => c.Over<Row>(r => r.Result)),
    ];

    /// <summary><see cref="Columns"/> and the explanation columns (<see cref="ResultTable.ExplanationColumns"/>), for a run with <c>--explain N</c>.</summary>
    public static IReadOnlyList<ResultColumn<Row>> ExplainedColumns { get; } = [.. Columns, .. ResultTable.ExplanationColumns.Select(c => c.Over<Row>(r => r.Result))];

    /// <summary>The CSV header: <see cref="Columns"/>' names.</summary>
    public static string Header => string.Join(',', Columns.Select(c => c.Name));

    /// <summary>Writes one row per record, streamed: a record is converted, written to both files, and let go.</summary>
    public static Task WriteAsync(RunFolder run, IEnumerable<RescoreRecord> records, ModelInfo model, ScoreCalibration calibration, CancellationToken cancellationToken) =>
        WriteAsync(run, records, model, calibration, null, cancellationToken);

    /// <summary>
    /// Writes one row per record, streamed. With <paramref name="explained"/> (a run with <c>--explain N</c>) the files
    /// have the explanation columns, filled for those keys.
    /// </summary>
    public static async Task WriteAsync(RunFolder run, IEnumerable<RescoreRecord> records, ModelInfo model, ScoreCalibration calibration, IReadOnlyDictionary<string, ReportExplanation>? explained, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(records);
        var scoredAt = run.State.Completed ?? DateTimeOffset.UtcNow;
        var csv = run.ResultsPath + ".tmp";
        var columns = explained is null ? Columns : ExplainedColumns;
        await using (var parquet = new ParquetResultWriter<Row>(run.ResultsParquetPath, columns))
        {
            await using var writer = new CsvResultWriter<Row>(new StreamWriter(csv, false, new UTF8Encoding(false)), columns);
            foreach (var record in records)
            {
                var result = record.ToResult(model, calibration, scoredAt);
                if (explained is not null && explained.TryGetValue(record.Key, out var explanation))
                {
                    result = result with { Explanation = explanation.Explanation };
                }

                var row = new Row(run.RunId, record, result);
                await writer.WriteAsync(row, cancellationToken).ConfigureAwait(false);
                await parquet.WriteAsync(row, cancellationToken).ConfigureAwait(false);
            }
        }

        File.Move(csv, run.ResultsPath, overwrite: true);
    }

    /// <summary>One journal record of a run, and the same record as a <see cref="ScoringResult"/>.</summary>
    internal sealed record Row(string RunId, RescoreRecord Record, ScoringResult Result);
}
