using System.Globalization;
using System.Text;

namespace IpIqa.Core.Contracts;

/// <summary>
/// Writes rows as CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, a quote or a line
/// break): a header of the column names, then one line per row. A text field that a spreadsheet would run
/// as a formula gets an apostrophe in front (<see cref="CsvField.Defuse"/>); Parquet holds the text as it is.
/// Numbers are written round-trip (<c>R</c>), null as an empty field. Hand-written because it is 30 lines over the one
/// <see cref="ResultColumn{TRow}"/> list that the Parquet writer shares; a CSV library would add a
/// second description of the same columns.
/// </summary>
public sealed class CsvResultWriter<TRow> : IResultWriter<TRow>
{
    private readonly TextWriter _writer;
    private readonly IReadOnlyList<ResultColumn<TRow>> _columns;
    private readonly StringBuilder _line = new();

    public CsvResultWriter(TextWriter writer, IReadOnlyList<ResultColumn<TRow>> columns)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(columns);
        _writer = writer;
        _columns = columns;
        _writer.Write(string.Join(',', columns.Select(c => c.Name)));
        _writer.Write("\r\n");
    }

    public async ValueTask WriteAsync(TRow row, CancellationToken cancellationToken)
    {
        _line.Clear();
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0)
            {
                _line.Append(',');
            }

            var column = _columns[i];
            _line.Append(
                column.IsNumber ? column.Number!(row)?.ToString("R", CultureInfo.InvariantCulture)
                : column.IsFlag ? column.Flag!(row) switch { true => "true", false => "false", null => "" }
                : CsvField.Quote(CsvField.Defuse(column.Text!(row) ?? "")));
        }

        _line.Append("\r\n");
        await _writer.WriteAsync(_line, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
