using IpIqa.Core.Contracts;

namespace IpIqa.Core.Tests.Contracts;

public sealed class CsvRecordReaderTests
{
    private static List<IReadOnlyList<string>> ReadAll(string text)
    {
        using var reader = new CsvRecordReader(new StringReader(text));
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
        using var reader = new CsvRecordReader(new StringReader("image,prompt\na.png,\"never closed\nmore"));
        reader.Read();

        var error = Assert.Throws<FormatException>(() => reader.Read());

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextAfterAClosingQuoteIsAnError()
    {
        using var reader = new CsvRecordReader(new StringReader("\"a\"b,c"));

        var error = Assert.Throws<FormatException>(() => reader.Read());

        Assert.Contains("after a closing quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordLineNamesWhereEachRecordStarted()
    {
        using var reader = new CsvRecordReader(new StringReader("h\n\"x\ny\"\nz\n"));
        reader.Read();
        reader.Read();
        reader.Read();

        Assert.Equal(4, reader.RecordLine);
    }

    [Fact]
    public void AQuoteInsideAnUnquotedFieldIsAnErrorNamingItsLine()
    {
        using var reader = new CsvRecordReader(new StringReader("image,prompt\na.png,a \"cat\"\n"));
        reader.Read();

        var error = Assert.Throws<FormatException>(() => reader.Read());

        Assert.StartsWith("line 2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("quote inside an unquoted field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnclosedQuoteAtTheTopOfALargeFileStopsAtTheRecordLimit()
    {
        // A hostile manifest: one quote, then megabytes without a closing one. The reader must not
        // buffer the whole file as one field.
        var text = "image,prompt\n\"" + new string('x', 3 * CsvRecordReader.MaxRecordBytes);
        using var reader = new CsvRecordReader(new StringReader(text));
        reader.Read();

        var error = Assert.Throws<FormatException>(() => reader.Read());

        Assert.StartsWith("line 2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSeparatorIsAlwaysAComma()
    {
        // A semicolon file is not sniffed into columns: the manifest format is comma-separated.
        var records = ReadAll("image;prompt\na.png;a cat\n");

        Assert.Equal(["image;prompt"], records[0]);
        Assert.Equal(["a.png;a cat"], records[1]);
    }

    [Fact]
    public void EmptyLinesAreSkippedAndLinesStillCount()
    {
        using var reader = new CsvRecordReader(new StringReader("a,b\n\n\nc,d\n"));

        Assert.Equal(["a", "b"], reader.Read());
        Assert.Equal(["c", "d"], reader.Read());
        Assert.Equal(4, reader.RecordLine);
        Assert.Null(reader.Read());
    }
}
