using IpIqa.TestSupport;
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

    [Theory]
    [InlineData("A1", 0)]
    [InlineData("C7", 2)]
    [InlineData("Z3", 25)]
    [InlineData("AA12", 26)]
    [InlineData("AB1", 27)]
    public void ColumnIndex_And_ColumnName_AreInverse(string reference, int index)
    {
        Assert.Equal(index, XlsxTable.ColumnIndex(reference, -1));
        Assert.StartsWith(XlsxTable.ColumnName(index), reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotAZip_GivesAClearError()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bad.xlsx");
        File.WriteAllText(path, "name,prompt\n");

        var e = Assert.Throws<TableFormatException>(() => XlsxTable.Read(path));

        Assert.Contains("not an xlsx workbook", e.Message, StringComparison.Ordinal);
    }
}
