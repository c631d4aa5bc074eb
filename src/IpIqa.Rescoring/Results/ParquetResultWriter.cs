using IpIqa.Core.Contracts;
using Parquet;
using Parquet.Schema;

namespace IpIqa.Rescoring;

/// <summary>
/// The Parquet form of a result table: the same <see cref="ResultColumn{TRow}"/> list as the CSV, typed:
/// strings (null where the CSV field is empty), nullable doubles and nullable booleans. Rows are buffered into row groups of
/// <see cref="RowGroupSize"/>. The file is written under a temporary name and renamed when the writer
/// is disposed, so no reader sees half a file.
/// </summary>
internal sealed class ParquetResultWriter<TRow> : IResultWriter<TRow>
{
    public const int RowGroupSize = 10_000;

    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private readonly IReadOnlyList<ResultColumn<TRow>> _columns;
    private readonly DataField[] _fields;
    private readonly ParquetSchema _schema;
    private readonly List<TRow> _buffer = [];
    private ParquetWriter? _writer;

    public ParquetResultWriter(string path, IReadOnlyList<ResultColumn<TRow>> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _path = path;
        _columns = columns;
        _fields = [.. columns.Select(c => c.IsNumber ? new DataField<double?>(c.Name) : c.IsFlag ? new DataField<bool?>(c.Name) : (DataField)new DataField<string>(c.Name))];
        _schema = new ParquetSchema(_fields);
        _temporary = path + ".tmp";
        _stream = new FileStream(_temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
    }

    public async ValueTask WriteAsync(TRow row, CancellationToken cancellationToken)
    {
        _buffer.Add(row);
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
        for (var i = 0; i < _columns.Count; i++)
        {
            var column = _columns[i];
            if (column.IsNumber)
            {
                await group.WriteAsync<double>(_fields[i], rows.Select(column.Number!).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else if (column.IsFlag)
            {
                await group.WriteAsync<bool>(_fields[i], rows.Select(column.Flag!).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await group.WriteAsync(_fields[i], rows.Select(column.Text!).ToArray()).ConfigureAwait(false);
            }
        }

        group.CompleteValidate();
    }
}
