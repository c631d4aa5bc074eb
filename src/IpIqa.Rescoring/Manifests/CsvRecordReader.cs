using System.Text;

namespace IpIqa.Rescoring;

/// <summary>Reads RFC 4180 CSV: comma-separated, fields quoted with <c>"</c>, <c>""</c> inside quotes, line breaks allowed in quotes.</summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private int _line = 1;

    /// <summary>The line on which the last record returned started (1-based).</summary>
    public int RecordLine { get; private set; }

    /// <summary>The next record, or null at the end.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or text follows a closing quote; the message names the line.</exception>
    public IReadOnlyList<string>? Read()
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        RecordLine = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (true)
        {
            var c = reader.Read();
            if (c == '"' && field.Length == 0)
            {
                ReadQuoted(field);
                c = reader.Read();
                if (c is not (',' or '\r' or '\n' or -1))
                {
                    throw new FormatException($"line {_line}: unexpected '{(char)c}' after a closing quote.");
                }
            }

            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    continue;
                case '\r':
                    if (reader.Peek() == '\n')
                    {
                        reader.Read();
                    }

                    _line++;
                    fields.Add(field.ToString());
                    return fields;
                case '\n':
                    _line++;
                    fields.Add(field.ToString());
                    return fields;
                case -1:
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append((char)c);
                    continue;
            }
        }
    }

    private void ReadQuoted(StringBuilder field)
    {
        var startLine = _line;
        while (true)
        {
            var c = reader.Read();
            switch (c)
            {
                case -1:
                    throw new FormatException($"line {startLine}: a quoted field is not closed.");
                case '"' when reader.Peek() == '"':
                    reader.Read();
                    field.Append('"');
                    break;
                case '"':
                    return;
                case '\n':
                    _line++;
                    field.Append('\n');
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }
    }
}
