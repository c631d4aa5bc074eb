using IpIqa.Cli.Scoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Scoring;

public sealed class CsvRecordReaderTests
{
    private static List<IReadOnlyList<string>> ReadAll(string text)
    {
        var reader = new CsvRecordReader(new StringReader(text));
        var records = new List<IReadOnlyList<string>>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public void QuotedFieldsKeepCommasQuotesAndLineBreaks()
    {
        var records = ReadAll("image,prompt\r\na.png,\"a cat, \"\"fluffy\"\"\r\non a sofa\"\r\nb.png,plain\n");

        Assert.Equal(3, records.Count);
        Assert.Equal("a.png", records[1][0]);
        Assert.Equal("a cat, \"fluffy\"\non a sofa", records[1][1].Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal(["b.png", "plain"], records[2]);
    }

    [Fact]
    public void EmptyFieldsAndALastLineWithoutBreakAreRead()
    {
        var records = ReadAll("a,,c\nd,e,");

        Assert.Equal(["a", "", "c"], records[0]);
        Assert.Equal(["d", "e", ""], records[1]);
    }

    [Fact]
    public void AnUnclosedQuoteIsAnErrorNamingItsLine()
    {
        var reader = new CsvRecordReader(new StringReader("image,prompt\na.png,\"never closed\nmore"));
        reader.Read();

        var error = Assert.Throws<FormatException>(() => reader.Read());

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextAfterAClosingQuoteIsAnError()
    {
        var reader = new CsvRecordReader(new StringReader("\"a\"b,c"));

        var error = Assert.Throws<FormatException>(() => reader.Read());

        Assert.Contains("after a closing quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordLineNamesWhereEachRecordStarted()
    {
        var reader = new CsvRecordReader(new StringReader("h\n\"x\ny\"\nz\n"));
        reader.Read();
        reader.Read();
        reader.Read();

        Assert.Equal(4, reader.RecordLine);
    }
}
