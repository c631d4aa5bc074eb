using Parquet;
using Parquet.Schema;

namespace IpIqa.Cli.Tests.Scoring;

/// <summary>Writes Parquet manifests for tests and reads Parquet results back into rows, with Parquet.Net.</summary>
internal static class ParquetFiles
{
    /// <summary>Writes nullable string columns named <paramref name="columns"/>; each entry of <paramref name="rowGroups"/> is one row group of rows.</summary>
    public static async Task WriteStringsAsync(string path, string[] columns, params string?[][][] rowGroups)
    {
        var fields = columns.Select(c => new DataField<string>(c)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        foreach (var rows in rowGroups)
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                await group.WriteAsync(fields[c], rows.Select(r => r[c]).ToArray());
            }
        }
    }

    /// <summary>Every row of every row group, by column name: strings, nullable doubles and bools as stored.</summary>
    public static async Task<(ParquetSchema Schema, int RowGroups, List<Dictionary<string, object?>> Rows)> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var rows = new List<Dictionary<string, object?>>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var start = rows.Count;
            rows.AddRange(Enumerable.Range(0, count).Select(_ => new Dictionary<string, object?>()));
            foreach (var field in reader.Schema.DataFields)
            {
                object?[] values;
                if (field.ClrType == typeof(ReadOnlyMemory<char>))
                {
                    var strings = new string?[count];
                    await group.ReadAsync(field, strings.AsMemory());
                    values = strings;
                }
                else if (field.ClrType == typeof(double))
                {
                    var numbers = new double?[count];
                    await group.ReadAsync<double>(field, numbers.AsMemory());
                    values = numbers.Cast<object?>().ToArray();
                }
                else if (field.ClrType == typeof(bool))
                {
                    var flags = new bool?[count];
                    await group.ReadAsync<bool>(field, flags.AsMemory());
                    values = flags.Cast<object?>().ToArray();
                }
                else
                {
                    throw new InvalidOperationException($"Column '{field.Name}' has an unexpected type {field.ClrType}.");
                }

                for (var i = 0; i < count; i++)
                {
                    rows[start + i][field.Name] = values[i];
                }
            }
        }

        return (reader.Schema, reader.RowGroupCount, rows);
    }
}
