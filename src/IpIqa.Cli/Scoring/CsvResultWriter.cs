using System.Globalization;
using IpIqa.Core.Bundles;

namespace IpIqa.Cli.Scoring;

/// <summary>The CSV form of the results (RFC 4180 quoting), one row per input after a header.</summary>
internal sealed class CsvResultWriter : IResultWriter
{
    public const string Header = "image,prompt,quality,alignment,verdict,failed_checks,error_code,error_message,model_name,model_version,model_hash";

    private readonly TextWriter _writer;
    private readonly string _modelColumns;

    public CsvResultWriter(TextWriter writer, ModelIdentity model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _writer = writer;
        _modelColumns = $"{Quote(model.Name)},{Quote(model.Version)},{Quote(model.Hash)}";
        _writer.Write(Header);
        _writer.Write("\r\n");
    }

    public void Write(ScoreOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var quality = outcome.Scores?.Quality.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var alignment = outcome.Scores?.Alignment.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var failed = outcome.Verdict is null ? "" : string.Join(';', outcome.Verdict.Failed);
        _writer.Write(string.Join(',',
            Quote(outcome.Image),
            Quote(outcome.Prompt ?? ""),
            quality,
            alignment,
            outcome.Verdict?.Outcome ?? "",
            Quote(failed),
            Quote(outcome.Error?.Code ?? ""),
            Quote(outcome.Error?.Message ?? ""),
            _modelColumns));
        _writer.Write("\r\n");
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Quotes a field when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
