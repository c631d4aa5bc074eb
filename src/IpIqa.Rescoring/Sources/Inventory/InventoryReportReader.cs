using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;
using Parquet;
using Parquet.Schema;

namespace IpIqa.Rescoring;

/// <summary>
/// Reads the rows of one downloaded inventory report file, CSV or Parquet, streamed: a CSV file a
/// record at a time, a Parquet file a row group at a time. Columns are found by their schema-field
/// names (<c>Name</c>, <c>Content-Length</c>, <c>Etag</c>, <c>Last-Modified</c>, <c>Metadata</c>,
/// case-insensitively); the metadata is a JSON object of name to value, the prompt under
/// <c>promptKey</c>. The report is machine-written, so anything malformed (a missing column, a short
/// row, a size that is not a number, metadata that is not a JSON object) is an
/// <see cref="InvalidDataException"/> naming the file and the line or row: the run stops with that
/// message rather than scoring half an inventory.
/// </summary>
internal static class InventoryReportReader
{
    private static readonly ParquetOptions Options = new() { TreatByteArrayAsString = true };

    /// <summary>The rows of the CSV report at <paramref name="path"/> (named <paramref name="file"/> in errors) after the first <paramref name="skip"/>.</summary>
    public static IEnumerable<InventoryRow> ReadCsv(string path, string file, long skip, string promptKey)
    {
        using var text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvRecordReader(text);
        IReadOnlyList<string>? header;
        try
        {
            header = csv.Read();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"Inventory report '{file}': {e.Message}", e);
        }

        if (header is null)
        {
            yield break;
        }

        var name = Column(header, "Name", file, required: true);
        var size = Column(header, "Content-Length", file, required: true);
        var etag = Column(header, "Etag", file, required: false);
        var modified = Column(header, "Last-Modified", file, required: false);
        var metadata = Column(header, "Metadata", file, required: true);
        if (etag < 0 && modified < 0)
        {
            throw new InvalidDataException($"Inventory report '{file}' has neither an Etag nor a Last-Modified column.");
        }

        for (var row = 0L; ; row++)
        {
            IReadOnlyList<string>? fields;
            try
            {
                fields = csv.Read();
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"Inventory report '{file}': {e.Message}", e);
            }

            if (fields is null)
            {
                yield break;
            }

            if (row < skip)
            {
                continue;
            }

            var where = $"Inventory report '{file}' line {csv.RecordLine}";
            if (fields.Count != header.Count)
            {
                throw new InvalidDataException($"{where}: {fields.Count} fields, the header has {header.Count}.");
            }

            var bytes = long.TryParse(fields[size], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new InvalidDataException($"{where}: Content-Length '{Clip(fields[size])}' is not a byte count.");
            yield return Row(fields[name], bytes, etag >= 0 ? fields[etag] : null, modified >= 0 ? fields[modified] : null, fields[metadata], promptKey, where);
        }
    }

    /// <summary>The rows of the Parquet report at <paramref name="path"/> (named <paramref name="file"/> in errors) after the first <paramref name="skip"/>.</summary>
    public static async IAsyncEnumerable<InventoryRow> ReadParquetAsync(string path, string file, long skip, string promptKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new InvalidDataException($"Inventory report '{file}' is not a readable Parquet file: {e.Message}", e);
        }

        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            var name = Field(fields, "Name", file, required: true)!;
            var size = Field(fields, "Content-Length", file, required: true)!;
            var etag = Field(fields, "Etag", file, required: false);
            var modified = Field(fields, "Last-Modified", file, required: false);
            var metadata = Field(fields, "Metadata", file, required: true)!;
            var version = etag ?? modified ?? throw new InvalidDataException($"Inventory report '{file}' has neither an Etag nor a Last-Modified column.");
            if (size.ClrType != typeof(long) || IsText(name) is false || IsText(version) is false || IsText(metadata) is false)
            {
                throw new InvalidDataException($"Inventory report '{file}': Name, Etag (or Last-Modified) and Metadata must be string columns and Content-Length an int64 column.");
            }

            var row = 0L;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var groupReader = reader.OpenRowGroupReader(group);
                if (row + groupReader.RowCount <= skip)
                {
                    row += groupReader.RowCount;
                    continue;
                }

                if (groupReader.RowCount > 1 << 24)
                {
                    throw new InvalidDataException($"Inventory report '{file}': row group {group} has {groupReader.RowCount} rows, more than rescore reads at once ({1 << 24}).");
                }

                var count = (int)groupReader.RowCount;
                var (names, sizes, versions, metadatas) = (new string?[count], new long?[count], new string?[count], new string?[count]);
                try
                {
                    await groupReader.ReadAsync(name, names.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await groupReader.ReadAsync(size, sizes.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await groupReader.ReadAsync(version, versions.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await groupReader.ReadAsync(metadata, metadatas.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsUnreadable(e))
                {
                    throw new InvalidDataException($"Inventory report '{file}' row group {group} is unreadable: {e.Message}", e);
                }

                for (var i = 0; i < count; i++, row++)
                {
                    if (row < skip)
                    {
                        continue;
                    }

                    var where = $"Inventory report '{file}' row {row + 1}";
                    var bytes = sizes[i] is { } b && b >= 0 ? b : throw new InvalidDataException($"{where}: Content-Length is {(sizes[i] is null ? "null" : "negative")}.");
                    yield return Row(names[i] ?? "", bytes, etag is null ? null : versions[i], etag is null ? versions[i] : null, metadatas[i], promptKey, where);
                }
            }
        }
    }

    private static InventoryRow Row(string name, long size, string? etag, string? modified, string? metadata, string promptKey, string where)
    {
        if (name.Length == 0)
        {
            throw new InvalidDataException($"{where}: the Name is empty.");
        }

        var version = !string.IsNullOrEmpty(etag) ? etag.Trim('"') : modified;
        if (string.IsNullOrEmpty(version))
        {
            throw new InvalidDataException($"{where}: no Etag or Last-Modified for '{Clip(name)}'.");
        }

        return new InventoryRow(name, size, version, Prompt(metadata, promptKey, where));
    }

    /// <summary>The prompt in <paramref name="metadata"/>, a JSON object of metadata names to values (empty: no metadata).</summary>
    private static string? Prompt(string? metadata, string promptKey, string where)
    {
        if (string.IsNullOrWhiteSpace(metadata))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where}: Metadata is not a JSON object.");
            }

            var pairs = document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!));
            return PromptMetadata.Find(pairs, promptKey);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: Metadata is not a JSON object ({e.Message}).", e);
        }
    }

    private static int Column(IReadOnlyList<string> header, string name, string file, bool required)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return required ? throw new InvalidDataException($"Inventory report '{file}' has no '{name}' column (its header: {Clip(string.Join(",", header))}).") : -1;
    }

    private static DataField? Field(DataField[] fields, string name, string file, bool required) =>
        fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? (required ? throw new InvalidDataException($"Inventory report '{file}' has no '{name}' column (it has: {string.Join(", ", fields.Select(f => f.Name))}).") : null);

    private static bool IsText(DataField field) => !field.IsArray && (field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string));

    private static string Clip(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "...");

    // A corrupt or hostile file fails deep in the decoder with general exceptions: each means the file cannot be read.
    private static bool IsUnreadable(Exception e) => e is IOException or ParquetException or Parquet.Meta.Proto.ThriftProtocolException
        or InvalidDataException or NotSupportedException or ArgumentException or IndexOutOfRangeException
        or InvalidOperationException or OverflowException or FormatException or NullReferenceException or OutOfMemoryException;
}
