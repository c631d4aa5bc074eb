using IpIqa.TestSupport;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Data.Tables;

namespace IpIqa.Training.Tests.Data;

public sealed class XlsxTableTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteThenRead_SharedOrInlineStrings_AndNumbers_RoundTrip(bool inlineStrings)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("t.xlsx");
        XlsxWriter.Write(path, [["Image", "Prompt", "MOS"], ["1.png", "a \"red\" fox & <dog>", 2.5], ["2.png", "a red fox", -0.125]], inlineStrings);

        var rows = XlsxTable.Read(path);

        Assert.Equal([1, 2, 3], rows.Select(r => r.Line));
        Assert.Equal(["1.png", "a \"red\" fox & <dog>", "2.5"], rows[1].Fields);
        Assert.Equal(["2.png", "a red fox", "-0.125"], rows[2].Fields);
    }

    [Fact]
    public void RowNumbersAreSheetRows_AndEmptyRowsAreSkipped()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("t.xlsx");
        XlsxWriter.Write(path, [["Image", "MOS"], ["", ""], ["1.png", 3.25]]);

        var rows = XlsxTable.Read(path);

        Assert.Equal([1, 3], rows.Select(r => r.Line));
        Assert.Equal(3.25, double.Parse(rows[1].Fields[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Read_NotAZip_GivesAClearError()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bad.xlsx");
        File.WriteAllText(path, "name,prompt\n");

        var e = Assert.Throws<TableFormatException>(() => XlsxTable.Read(path));

        Assert.Contains("not a readable xlsx workbook", e.Message, StringComparison.Ordinal);
    }
}
