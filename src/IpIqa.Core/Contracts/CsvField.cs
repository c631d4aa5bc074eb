namespace IpIqa.Core.Contracts;

/// <summary>RFC 4180 quoting of one CSV field, and the defusing of text a spreadsheet would run as a formula.</summary>
public static class CsvField
{
    /// <summary>
    /// <paramref name="field"/> with an apostrophe in front when it starts with a character that makes a
    /// spreadsheet read it as a formula ('=', '+', '-', '@', a tab or a carriage return), as OWASP advises for
    /// CSV injection; spreadsheets show the text after it. Other text is returned as it is.
    /// </summary>
    public static string Defuse(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + field : field;
    }

    /// <summary>
    /// Quotes a field when it holds a comma, a quote or a line break, or starts or ends with a space
    /// (which spreadsheet tools would otherwise trim).
    /// </summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var needsQuotes = field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' '));
        return needsQuotes ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }
}
