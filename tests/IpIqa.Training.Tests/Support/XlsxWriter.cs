using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace IpIqa.Training.Tests.Support;

/// <summary>
/// Writes a minimal one-sheet xlsx workbook for tests of the AGIQA-1k table reader. Numbers are stored
/// as numeric cells; text goes to the shared-string table, or inline when <c>inlineStrings</c> is set
/// (both forms occur in real files). Test-only: the product reads workbooks and never writes them.
/// </summary>
internal static class XlsxWriter
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRel = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";

    public static void Write(string path, IEnumerable<IReadOnlyList<object>> rows, bool inlineStrings = false)
    {
        var shared = new List<string>();
        var sharedIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var sheetData = new XElement(Main + "sheetData");
        var rowNumber = 0;
        foreach (var row in rows)
        {
            rowNumber++;
            var rowElement = new XElement(Main + "row", new XAttribute("r", rowNumber));
            for (var c = 0; c < row.Count; c++)
            {
                var reference = ColumnName(c) + rowNumber.ToString(CultureInfo.InvariantCulture);
                rowElement.Add(Cell(reference, row[c], inlineStrings, shared, sharedIndex));
            }

            sheetData.Add(rowElement);
        }

        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "[Content_Types].xml", new XElement(
            ContentTypes + "Types",
            new XElement(ContentTypes + "Default", new XAttribute("Extension", "rels"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.relationships+xml")),
            new XElement(ContentTypes + "Default", new XAttribute("Extension", "xml"), new XAttribute("ContentType", "application/xml")),
            Override("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
            Override("/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
            Override("/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml")));
        Add(zip, "_rels/.rels", Relationships(("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml")));
        Add(zip, "xl/workbook.xml", new XElement(
            Main + "workbook",
            new XAttribute(XNamespace.Xmlns + "r", Rel),
            new XElement(Main + "sheets", new XElement(Main + "sheet", new XAttribute("name", "Sheet1"), new XAttribute("sheetId", 1), new XAttribute(Rel + "id", "rId1")))));
        Add(zip, "xl/_rels/workbook.xml.rels", Relationships(
            ("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", "worksheets/sheet1.xml"),
            ("rId2", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings", "sharedStrings.xml")));
        Add(zip, "xl/worksheets/sheet1.xml", new XElement(Main + "worksheet", sheetData));
        Add(zip, "xl/sharedStrings.xml", new XElement(
            Main + "sst",
            new XAttribute("count", shared.Count),
            new XAttribute("uniqueCount", shared.Count),
            shared.Select(s => new XElement(Main + "si", new XElement(Main + "t", new XAttribute(XNamespace.Xml + "space", "preserve"), s)))));
    }

    private static XElement Cell(string reference, object value, bool inlineStrings, List<string> shared, Dictionary<string, int> sharedIndex)
    {
        var cell = new XElement(Main + "c", new XAttribute("r", reference));
        switch (value)
        {
            case double or float or int or long or decimal:
                cell.Add(new XElement(Main + "v", Convert.ToString(value, CultureInfo.InvariantCulture)));
                return cell;
            case string text when inlineStrings:
                cell.Add(new XAttribute("t", "inlineStr"), new XElement(Main + "is", new XElement(Main + "t", text)));
                return cell;
            default:
                var s = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                if (!sharedIndex.TryGetValue(s, out var index))
                {
                    index = shared.Count;
                    shared.Add(s);
                    sharedIndex.Add(s, index);
                }

                cell.Add(new XAttribute("t", "s"), new XElement(Main + "v", index));
                return cell;
        }
    }

    private static XElement Override(string part, string type) =>
        new(ContentTypes + "Override", new XAttribute("PartName", part), new XAttribute("ContentType", type));

    private static XElement Relationships(params (string Id, string Type, string Target)[] items) =>
        new(PackageRel + "Relationships", items.Select(i => new XElement(PackageRel + "Relationship", new XAttribute("Id", i.Id), new XAttribute("Type", i.Type), new XAttribute("Target", i.Target))));

    private static void Add(ZipArchive zip, string name, XElement root)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), root).Save(writer);
    }

    /// <summary>The letters of a zero-based column: A, ..., Z, AA, AB, ...</summary>
    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }
}
