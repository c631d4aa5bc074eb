using IpIqa.Training.Data.Tables;

namespace IpIqa.Training.Tests.Data;

public sealed class CsvTableTests
{
    [Fact]
    public void Parse_QuotedFieldsWithCommasQuotesAndLineBreaks_AreUnescaped()
    {
        var text = "name,prompt\r\na.png,\"a cat, \"\"smiling\"\"\"\r\nb.png,\"two\nlines\"\nc.png,\"\"\n";

        var rows = CsvTable.Parse(text, "t.csv");

        Assert.Equal(4, rows.Count);
        Assert.Equal(["a.png", "a cat, \"smiling\""], rows[1].Fields);
        Assert.Equal(["b.png", "two\nlines"], rows[2].Fields);
        Assert.Equal(["c.png", string.Empty], rows[3].Fields);
    }

    [Fact]
    public void Parse_RecordAfterMultiLineField_ReportsItsStartingLine()
    {
        var rows = CsvTable.Parse("h\n\"x\ny\"\n\nlast\n", "t.csv");

        Assert.Equal([1, 2, 5], rows.Select(r => r.Line));
    }

    [Fact]
    public void Parse_UnterminatedQuote_NamesTheLine()
    {
        var e = Assert.Throws<TableFormatException>(() => CsvTable.Parse("h\nok\n\"open,field\n", "t.csv"));

        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TextAfterClosingQuote_NamesTheLine()
    {
        var e = Assert.Throws<TableFormatException>(() => CsvTable.Parse("h\n\"ab\"c,d\n", "t.csv"));

        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenParse_RoundTripsAwkwardValues()
    {
        string[][] records = [["a", "b,c", "say \"hi\""], [" padded ", "multi\r\nline", string.Empty]];
        using var writer = new StringWriter();

        CsvTable.Write(writer, records);
        var rows = CsvTable.Parse(writer.ToString(), "t.csv");

        Assert.Equal(records.Length, rows.Count);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i], rows[i].Fields);
        }
    }
}
