namespace IpIqa.Core.Contracts;

/// <summary>RFC 4180 quoting of one CSV field.</summary>
public static class CsvField
{
    /// <summary>Quotes a field when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
