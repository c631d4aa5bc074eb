using System.Globalization;
using ExcelDataReader;
using ExcelDataReader.Exceptions;

namespace IpIqa.Training.Data.Tables;

/// <summary>
/// Reads the first worksheet of an xlsx workbook (AGIQA-1k ships its MOS tables this way) as text
/// cells, with ExcelDataReader. Numbers come back in invariant culture, round-trip (<c>R</c>), so a
/// MOS parses to the double Excel stored; booleans as <c>TRUE</c>/<c>FALSE</c>. Rows with no text
/// are skipped; each row keeps its 1-based sheet row number for error messages.
/// </summary>
internal static class XlsxTable
{
    public static IReadOnlyList<TableRow> Read(string path)
    {
        // ExcelDataReader resolves code page 1252 as its fallback even for xlsx; .NET has it only
        // through the code-pages provider (registering it again is a no-op).
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
            var rows = new List<TableRow>();
            var line = 0;
            while (reader.Read())
            {
                line++;
                var cells = new string[reader.FieldCount];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = Text(reader.GetValue(i));
                }

                var used = Array.FindLastIndex(cells, c => c.Length > 0) + 1;
                if (used > 0)
                {
                    rows.Add(new TableRow(line, cells[..used]));
                }
            }

            return rows;
        }
        catch (Exception e) when (e is HeaderException or InvalidDataException or System.Xml.XmlException or ExcelReaderException)
        {
            throw new TableFormatException($"{path}: not a readable xlsx workbook: {e.Message}", e);
        }
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
