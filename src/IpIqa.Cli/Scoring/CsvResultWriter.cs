using System.Globalization;
using System.Text;
using IpIqa.Core.Bundles;

namespace IpIqa.Cli.Scoring;

/// <summary>The CSV form of the results (RFC 4180 quoting), one row per input after a header.</summary>
internal sealed class CsvResultWriter : IResultWriter
{
    public const string Header = "image,prompt,quality,alignment,verdict,failed_checks,error_code,error_message,model_name,model_version,model_hash";

    /// <summary>Columns added after <see cref="Header"/> when the bundle is calibrated.</summary>
    public const string PercentileColumns = "quality_percentile,alignment_percentile";

    private readonly TextWriter _writer;
    private readonly string _modelColumns;
    private readonly bool _percentiles;

    public CsvResultWriter(TextWriter writer, ModelIdentity model, bool percentiles = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        _writer = writer;
        _percentiles = percentiles;
        _modelColumns = $"{Quote(model.Name)},{Quote(model.Version)},{Quote(model.Hash)}";
        _writer.Write(percentiles ? $"{Header},{PercentileColumns}" : Header);
        _writer.Write("\r\n");
    }

    public async ValueTask WriteAsync(ScoreOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var quality = outcome.Scores?.Quality.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var alignment = outcome.Scores?.Alignment.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var failed = outcome.Verdict is null ? "" : string.Join(';', outcome.Verdict.Failed);
        var line = new StringBuilder(string.Join(',',
            Quote(outcome.Image),
            Quote(outcome.Prompt ?? ""),
            quality,
            alignment,
            outcome.Verdict?.Outcome ?? "",
            Quote(failed),
            Quote(outcome.Error?.Code ?? ""),
            Quote(outcome.Error?.Message ?? ""),
            _modelColumns));
        if (_percentiles)
        {
            line.Append(',').Append(outcome.Percentiles?.Quality.ToString("0.###", CultureInfo.InvariantCulture) ?? "");
            line.Append(',').Append(outcome.Percentiles?.Alignment.ToString("0.###", CultureInfo.InvariantCulture) ?? "");
        }

        line.Append("\r\n");
        await _writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Quotes a field when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
