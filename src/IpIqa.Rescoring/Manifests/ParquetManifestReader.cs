using IpIqa.Core.Errors;
using Parquet;
using Parquet.Meta.Proto;
using Parquet.Schema;

namespace IpIqa.Rescoring;

/// <summary>
/// Reads a Parquet manifest with the string columns <c>image</c> and <c>prompt</c> (found by name,
/// case-insensitively; other columns are ignored), one row group at a time. Rows are numbered from 1
/// across the file. A row with no image, or no prompt, becomes a per-row problem as in the JSONL and
/// CSV manifests; a file that is not Parquet, is corrupt, or lacks a string column is refused.
/// </summary>
internal static class ParquetManifestReader
{
    // Unannotated BYTE_ARRAY columns (older Spark and Hive writers) are UTF-8 strings too.
    private static readonly ParquetOptions Options = new() { TreatByteArrayAsString = true };

    /// <exception cref="InvalidDataException">The file is not a readable Parquet file, or has no string <c>image</c> or <c>prompt</c> column.</exception>
    public static async IAsyncEnumerable<ScoreInput> StreamAsync(string manifest, string baseFolder, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(manifest, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw Unreadable(manifest, e);
        }

        await using (reader.ConfigureAwait(false))
        {
            var imageField = StringColumn(reader.Schema, "image", manifest);
            var promptField = StringColumn(reader.Schema, "prompt", manifest);
            var images = Array.Empty<string?>();
            var prompts = Array.Empty<string?>();
            var row = 0L;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                var groupReader = reader.OpenRowGroupReader(group);
                if (groupReader.RowCount > Array.MaxLength)
                {
                    throw new InvalidDataException($"{manifest}: row group {group} has {groupReader.RowCount} rows; split it into row groups under {Array.MaxLength} rows.");
                }

                // One buffer pair, reused: each row group's strings are read once and handed on as entries.
                var count = (int)groupReader.RowCount;
                if (images.Length < count)
                {
                    images = new string?[count];
                    prompts = new string?[count];
                }

                try
                {
                    await groupReader.ReadAsync(imageField, images.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await groupReader.ReadAsync(promptField, prompts.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsUnreadable(e))
                {
                    throw Unreadable(manifest, e);
                }

                for (var i = 0; i < count; i++)
                {
                    row++;
                    var where = $"{manifest} row {row}";
                    yield return string.IsNullOrEmpty(images[i])
                        ? new ScoreInput("", "", null, ErrorCodes.MessageInvalid, $"{where}: the 'image' column is {(images[i] is null ? "null" : "empty")}.")
                        : ScoreInputReader.Entry(images[i]!, prompts[i], baseFolder, where);
                }
            }
        }
    }

    private static DataField StringColumn(ParquetSchema schema, string name, string manifest)
    {
        var field = schema.Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"{manifest}: the Parquet schema has no '{name}' column (it has: {string.Join(", ", schema.Fields.Select(f => f.Name))}).");
        return field is DataField { IsArray: false } data && data.ClrType == typeof(ReadOnlyMemory<char>)
            ? data
            : throw new InvalidDataException($"{manifest}: the Parquet column '{field.Name}' is {Describe(field)}, not a string.");
    }

    private static string Describe(Field field) => field switch
    {
        DataField { IsArray: true } => "a list",
        DataField data when data.ClrType == typeof(ReadOnlyMemory<byte>) => "binary",
        DataField data => data.ClrType.Name,
        _ => $"a {field.SchemaType.ToString().ToLowerInvariant()}",
    };

    // A corrupt or hostile file fails deep in the decoder (Thrift, a page, a codec) with general
    // exceptions: all of them mean the file cannot be read.
    private static bool IsUnreadable(Exception e) => e is IOException or ParquetException or ThriftProtocolException
        or InvalidDataException or NotSupportedException or ArgumentException or IndexOutOfRangeException
        or InvalidOperationException or OverflowException or FormatException or NullReferenceException or OutOfMemoryException;

    private static InvalidDataException Unreadable(string manifest, Exception e) =>
        new($"{manifest} is not a readable Parquet file: {e.Message}", e);
}
