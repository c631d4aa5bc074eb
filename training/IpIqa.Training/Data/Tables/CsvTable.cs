using System.Text;

namespace IpIqa.Training.Data.Tables;

/// <summary>
/// RFC 4180 CSV: fields separated by commas, records by CRLF or LF, fields with commas, quotes or
/// line breaks wrapped in double quotes, a quote inside a quoted field doubled. Blank lines are skipped.
/// </summary>
internal static class CsvTable
{
    /// <summary>Parses CSV text into records, each with the line on which it starts.</summary>
    public static IReadOnlyList<TableRow> Parse(string text, string source)
    {
        var rows = new List<TableRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var atFieldStart = true;
        var hasContent = false;

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && atFieldStart)
            {
                var quoteLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new TableFormatException($"{source}: line {quoteLine}: a quoted field is never closed.");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    field.Append(text[i]);
                    i++;
                }

                atFieldStart = false;
                hasContent = true;
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    throw new TableFormatException($"{source}: line {line}: unexpected character '{text[i]}' after a closing quote.");
                }

                continue;
            }

            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    hasContent = true;
                    i++;
                    break;
                case '\r' or '\n':
                    EndRecord(rows, fields, field, recordLine, hasContent);
                    atFieldStart = true;
                    hasContent = false;
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (c == '"')
                    {
                        throw new TableFormatException($"{source}: line {line}: a quote inside an unquoted field (quote the field and double the quote).");
                    }

                    field.Append(c);
                    atFieldStart = false;
                    hasContent = true;
                    i++;
                    break;
            }
        }

        EndRecord(rows, fields, field, recordLine, hasContent);
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

                writer.Write(Escape(record[f]));
            }

            writer.Write('\n');
        }
    }

    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '))
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;

    private static void EndRecord(List<TableRow> rows, List<string> fields, StringBuilder field, int recordLine, bool hasContent)
    {
        if (hasContent)
        {
            fields.Add(field.ToString());
            rows.Add(new TableRow(recordLine, [.. fields]));
        }

        fields.Clear();
        field.Clear();
    }
}
