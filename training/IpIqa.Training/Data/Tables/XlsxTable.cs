using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;

namespace IpIqa.Training.Data.Tables;

/// <summary>
/// Reads the first worksheet of an xlsx workbook (an Office Open XML zip) as text cells. Shared
/// strings, inline strings, formula strings, booleans and numbers are supported; numbers come back
/// in invariant culture, exactly as stored.
/// </summary>
internal static class XlsxTable
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRel = "http://schemas.openxmlformats.org/package/2006/relationships";

    public static IReadOnlyList<TableRow> Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var sharedStrings = ReadSharedStrings(zip);
            var sheet = LoadXml(zip, FirstSheetPath(zip), path);
            var rows = new List<TableRow>();
            var data = sheet.Root?.Element(Main + "sheetData");
            if (data is null)
            {
                return rows;
            }

            var implicitRow = 0;
            foreach (var row in data.Elements(Main + "row"))
            {
                implicitRow = int.TryParse((string?)row.Attribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : implicitRow + 1;
                var cells = new List<string>();
                foreach (var cell in row.Elements(Main + "c"))
                {
                    var column = ColumnIndex((string?)cell.Attribute("r"), cells.Count);
                    while (cells.Count < column)
                    {
                        cells.Add(string.Empty);
                    }

                    cells.Add(CellText(cell, sharedStrings, path, implicitRow));
                }

                if (cells.Exists(c => c.Length > 0))
                {
                    rows.Add(new TableRow(implicitRow, cells));
                }
            }

            return rows;
        }
        catch (InvalidDataException e)
        {
            throw new TableFormatException($"{path}: not an xlsx workbook (the zip container is unreadable): {e.Message}", e);
        }
        catch (System.Xml.XmlException e)
        {
            throw new TableFormatException($"{path}: the workbook holds malformed XML: {e.Message}", e);
        }
    }

    /// <summary>Zero-based column of a cell reference such as <c>B7</c> or <c>AA12</c>.</summary>
    internal static int ColumnIndex(string? reference, int fallback)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return fallback;
        }

        var column = 0;
        foreach (var ch in reference)
        {
            if (ch is < 'A' or > 'Z')
            {
                break;
            }

            column = (column * 26) + (ch - 'A' + 1);
        }

        return column == 0 ? fallback : column - 1;
    }

    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static string CellText(XElement cell, IReadOnlyList<string> sharedStrings, string path, int row)
    {
        var type = (string?)cell.Attribute("t") ?? "n";
        var value = (string?)cell.Element(Main + "v");
        switch (type)
        {
            case "s":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= sharedStrings.Count)
                {
                    throw new TableFormatException($"{path}: row {row}: cell {(string?)cell.Attribute("r")} refers to shared string '{value}', which does not exist.");
                }

                return sharedStrings[index];
            case "inlineStr":
                return RichText(cell.Element(Main + "is"));
            case "b":
                return value == "1" ? "TRUE" : "FALSE";
            default:
                return value ?? string.Empty;
        }
    }

    private static string RichText(XElement? item) =>
        item is null ? string.Empty : string.Concat(item.Descendants(Main + "t").Where(t => t.Parent?.Name != Main + "rPh").Select(t => t.Value));

    private static List<string> ReadSharedStrings(ZipArchive zip)
    {
        var entry = zip.GetEntry("xl/sharedStrings.xml");
        if (entry is null)
        {
            return [];
        }

        using var stream = entry.Open();
        var doc = XDocument.Load(stream);
        return doc.Root?.Elements(Main + "si").Select(RichText).ToList() ?? [];
    }

    private static string FirstSheetPath(ZipArchive zip)
    {
        const string fallback = "xl/worksheets/sheet1.xml";
        var workbook = zip.GetEntry("xl/workbook.xml");
        var rels = zip.GetEntry("xl/_rels/workbook.xml.rels");
        if (workbook is null || rels is null)
        {
            return fallback;
        }

        XDocument workbookXml;
        XDocument relsXml;
        using (var s = workbook.Open())
        {
            workbookXml = XDocument.Load(s);
        }

        using (var s = rels.Open())
        {
            relsXml = XDocument.Load(s);
        }

        var id = (string?)workbookXml.Root?.Element(Main + "sheets")?.Elements(Main + "sheet").FirstOrDefault()?.Attribute(Rel + "id");
        var target = (string?)relsXml.Root?.Elements(PackageRel + "Relationship").FirstOrDefault(r => (string?)r.Attribute("Id") == id)?.Attribute("Target");
        if (target is null)
        {
            return fallback;
        }

        return target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
    }

    private static XDocument LoadXml(ZipArchive zip, string entryName, string path)
    {
        var entry = zip.GetEntry(entryName)
            ?? throw new TableFormatException($"{path}: the workbook has no worksheet part '{entryName}'.");
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
