using IpIqa.Core.Calibration;
using IpIqa.Core.Rescoring;
using Parquet;
using Parquet.Schema;

namespace IpIqa.Cli.Rescoring;

/// <summary>
/// Writes a run's results as Parquet, with the columns of <c>results.csv</c> typed: strings (null
/// where the record has none, which the CSV writes as an empty field), nullable doubles for the
/// scores and percentiles, and a bool
/// <c>skipped</c>. Rows go in row groups of at most <see cref="RowGroupSize"/>; the file is written
/// to a temporary file and renamed.
/// </summary>
internal static class RescoreResultsParquetWriter
{
    public const int RowGroupSize = 100_000;

    private static readonly DataField<string> RunId = new("run_id", nullable: false);
    private static readonly DataField<string> Key = new("key", nullable: false);
    private static readonly DataField<string> Location = new("location", nullable: false);
    private static readonly DataField<string> Prompt = new("prompt");
    private static readonly DataField<double?> Quality = new("quality");
    private static readonly DataField<double?> Alignment = new("alignment");
    private static readonly DataField<double?> QualityPercentile = new("quality_percentile");
    private static readonly DataField<double?> AlignmentPercentile = new("alignment_percentile");
    private static readonly DataField<string> Verdict = new("verdict");
    private static readonly DataField<string> FailedChecks = new("failed_checks");
    private static readonly DataField<string> Status = new("status", nullable: false);
    private static readonly DataField<bool> Skipped = new("skipped");
    private static readonly DataField<string> ErrorCode = new("error_code");
    private static readonly DataField<string> ErrorMessage = new("error_message");
    private static readonly DataField<string> ModelHash = new("model_hash", nullable: false);
    private static readonly DataField<string> JobId = new("job_id");

    /// <summary>The schema, in the order of <see cref="RescoreResultsWriter.Header"/>.</summary>
    public static ParquetSchema Schema { get; } = new(
        RunId, Key, Location, Prompt, Quality, Alignment, QualityPercentile, AlignmentPercentile,
        Verdict, FailedChecks, Status, Skipped, ErrorCode, ErrorMessage, ModelHash, JobId);

    public static async Task WriteAsync(string path, string runId, IReadOnlyList<RescoreRecord> records, PercentileTable? quality, PercentileTable? alignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var temporary = path + ".tmp";
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        await using (stream.ConfigureAwait(false))
        {
            var writer = await ParquetWriter.CreateAsync(Schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                for (var start = 0; start < records.Count; start += RowGroupSize)
                {
                    var group = records.Skip(start).Take(RowGroupSize).ToArray();
                    await WriteGroupAsync(writer, runId, group, quality, alignment, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static async Task WriteGroupAsync(ParquetWriter writer, string runId, RescoreRecord[] rows, PercentileTable? quality, PercentileTable? alignment, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(RunId, Enumerable.Repeat(runId, rows.Length).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(Key, Strings(rows, r => r.Key)).ConfigureAwait(false);
        await group.WriteAsync(Location, Strings(rows, r => r.Location)).ConfigureAwait(false);
        await group.WriteAsync(Prompt, Strings(rows, r => r.Prompt)).ConfigureAwait(false);
        await WriteNumbersAsync(group, Quality, rows, r => r.Quality, cancellationToken).ConfigureAwait(false);
        await WriteNumbersAsync(group, Alignment, rows, r => r.Alignment, cancellationToken).ConfigureAwait(false);
        await WriteNumbersAsync(group, QualityPercentile, rows, r => r.Quality is { } q ? quality?.PercentileOf(q) : null, cancellationToken).ConfigureAwait(false);
        await WriteNumbersAsync(group, AlignmentPercentile, rows, r => r.Alignment is { } a ? alignment?.PercentileOf(a) : null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(Verdict, Strings(rows, r => r.Verdict)).ConfigureAwait(false);
        await group.WriteAsync(FailedChecks, Strings(rows, r => r.FailedChecks)).ConfigureAwait(false);
        await group.WriteAsync(Status, Strings(rows, r => r.Status)).ConfigureAwait(false);
        await group.WriteAsync<bool>(Skipped, rows.Select(r => r.Skipped).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(ErrorCode, Strings(rows, r => r.ErrorCode)).ConfigureAwait(false);
        await group.WriteAsync(ErrorMessage, Strings(rows, r => r.ErrorMessage)).ConfigureAwait(false);
        await group.WriteAsync(ModelHash, Strings(rows, r => r.ModelHash)).ConfigureAwait(false);
        await group.WriteAsync(JobId, Strings(rows, r => r.JobId)).ConfigureAwait(false);
        group.CompleteValidate();
    }

    private static string?[] Strings(RescoreRecord[] rows, Func<RescoreRecord, string?> value) => rows.Select(value).ToArray();

    private static Task WriteNumbersAsync(ParquetRowGroupWriter group, DataField field, RescoreRecord[] rows, Func<RescoreRecord, double?> value, CancellationToken cancellationToken) =>
        group.WriteAsync<double>(field, rows.Select(value).ToArray(), cancellationToken: cancellationToken);
}
