namespace IpIqa.Core.Contracts;

/// <summary>RFC 4180 quoting of one CSV field.</summary>
public static class CsvField
{
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
