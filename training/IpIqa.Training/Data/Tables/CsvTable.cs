using IpIqa.Core.Contracts;

namespace IpIqa.Training.Data.Tables;

/// <summary>
/// RFC 4180 CSV tables (dataset tables, splits, synthetic sets), read with the project's one CSV reader
/// (<see cref="CsvRecordReader"/>) and written with its quoting (<see cref="CsvField"/>). Blank lines are skipped.
/// </summary>
internal static class CsvTable
{
    /// <summary>Parses CSV text into records, each with the line on which it starts (the project's one CSV reader).</summary>
    /// <exception cref="TableFormatException">Malformed quoting; the message names <paramref name="source"/> and the line.</exception>
    public static IReadOnlyList<TableRow> Parse(string text, string source)
    {
        var rows = new List<TableRow>();
        using var reader = new CsvRecordReader(new StringReader(text));
        try
        {
            while (reader.Read() is { } record)
            {
                rows.Add(new TableRow(reader.RecordLine, record));
            }
        }
        catch (FormatException ex)
        {
            throw new TableFormatException($"{source}: {ex.Message}", ex);
        }

        return rows;
    }

    /// <summary>Writes records as RFC 4180 CSV with LF line ends, quoting only the fields that need it.</summary>
    public static void Write(TextWriter writer, IEnumerable<IReadOnlyList<string>> records)
    {
        foreach (var record in records)
        {
            for (var f = 0; f < record.Count; f++)
            {
                if (f > 0)
                {
                    writer.Write(',');
                }

                writer.Write(CsvField.Quote(record[f]));
            }

            writer.Write('\n');
        }
    }
}
