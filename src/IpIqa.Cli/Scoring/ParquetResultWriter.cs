using IpIqa.Core.Bundles;
using Parquet;
using Parquet.Schema;

namespace IpIqa.Cli.Scoring;

/// <summary>
/// The Parquet form of the results: the columns of <see cref="CsvResultWriter.Header"/> (and the
/// percentile columns when the bundle is calibrated), typed: strings, null where the CSV field is
/// empty; nullable doubles for the scores and percentiles (percentiles rounded to 3 decimals). Rows
/// are buffered into row groups of <see cref="RowGroupSize"/>. The file is written under a
/// temporary name and renamed when the writer is disposed, so no reader sees half a file.
/// </summary>
internal sealed class ParquetResultWriter : IResultWriter
{
    public const int RowGroupSize = 10_000;

    private static readonly DataField<string> Image = new("image", nullable: false);
    private static readonly DataField<string> Prompt = new("prompt");
    private static readonly DataField<double?> Quality = new("quality");
    private static readonly DataField<double?> Alignment = new("alignment");
    private static readonly DataField<string> Verdict = new("verdict");
    private static readonly DataField<string> FailedChecks = new("failed_checks");
    private static readonly DataField<string> ErrorCode = new("error_code");
    private static readonly DataField<string> ErrorMessage = new("error_message");
    private static readonly DataField<string> ModelName = new("model_name", nullable: false);
    private static readonly DataField<string> ModelVersion = new("model_version", nullable: false);
    private static readonly DataField<string> ModelHash = new("model_hash", nullable: false);
    private static readonly DataField<double?> QualityPercentile = new("quality_percentile");
    private static readonly DataField<double?> AlignmentPercentile = new("alignment_percentile");

    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private readonly ModelIdentity _model;
    private readonly ParquetSchema _schema;
    private readonly bool _percentiles;
    private readonly List<ScoreOutcome> _buffer = [];
    private ParquetWriter? _writer;

    public ParquetResultWriter(string path, ModelIdentity model, bool percentiles = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        _path = path;
        _model = model;
        _percentiles = percentiles;
        _schema = percentiles
            ? new ParquetSchema(Image, Prompt, Quality, Alignment, Verdict, FailedChecks, ErrorCode, ErrorMessage, ModelName, ModelVersion, ModelHash, QualityPercentile, AlignmentPercentile)
            : new ParquetSchema(Image, Prompt, Quality, Alignment, Verdict, FailedChecks, ErrorCode, ErrorMessage, ModelName, ModelVersion, ModelHash);
        _temporary = path + ".tmp";
        _stream = new FileStream(_temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
    }

    public async ValueTask WriteAsync(ScoreOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _buffer.Add(outcome);
        if (_buffer.Count >= RowGroupSize)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the buffered rows and the footer, then renames the file into place.</summary>
    public async ValueTask DisposeAsync()
    {
        await using (_stream.ConfigureAwait(false))
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _writer ??= await ParquetWriter.CreateAsync(_schema, _stream).ConfigureAwait(false);
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        File.Move(_temporary, _path, overwrite: true);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        _writer ??= await ParquetWriter.CreateAsync(_schema, _stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = _buffer.ToArray();
        _buffer.Clear();
        using var group = _writer.CreateRowGroup();
        await group.WriteAsync(Image, rows.Select(r => r.Image).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(Prompt, rows.Select(r => r.Prompt).ToArray()).ConfigureAwait(false);
        await WriteNumbersAsync(group, Quality, rows, r => r.Scores?.Quality, cancellationToken).ConfigureAwait(false);
        await WriteNumbersAsync(group, Alignment, rows, r => r.Scores?.Alignment, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(Verdict, rows.Select(r => r.Verdict?.Outcome).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(FailedChecks, rows.Select(r => r.Verdict is null ? null : string.Join(';', r.Verdict.Failed)).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(ErrorCode, rows.Select(r => r.Error?.Code).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(ErrorMessage, rows.Select(r => r.Error?.Message).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(ModelName, Enumerable.Repeat(_model.Name, rows.Length).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(ModelVersion, Enumerable.Repeat(_model.Version, rows.Length).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(ModelHash, Enumerable.Repeat(_model.Hash, rows.Length).ToArray()).ConfigureAwait(false);
        if (_percentiles)
        {
            await WriteNumbersAsync(group, QualityPercentile, rows, r => r.Percentiles is { } p ? Math.Round(p.Quality, 3) : null, cancellationToken).ConfigureAwait(false);
            await WriteNumbersAsync(group, AlignmentPercentile, rows, r => r.Percentiles is { } p ? Math.Round(p.Alignment, 3) : null, cancellationToken).ConfigureAwait(false);
        }

        group.CompleteValidate();
    }

    private static Task WriteNumbersAsync(ParquetRowGroupWriter group, DataField field, ScoreOutcome[] rows, Func<ScoreOutcome, double?> value, CancellationToken cancellationToken) =>
        group.WriteAsync<double>(field, rows.Select(value).ToArray(), cancellationToken: cancellationToken);
}
