using IpIqa.Core.Contracts;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Errors;
using IpIqa.Rescoring;
using IpIqa.TestSupport;
using Parquet;
using Parquet.Schema;

namespace IpIqa.Cli.Tests.Scoring;

/// <summary>Parquet manifests read by <see cref="ScoreInputReader"/> (and so by <c>ipiqa score</c> and <c>ipiqa rescore</c>).</summary>
public sealed class ParquetManifestTests : IDisposable
{
    private static readonly string[] Columns = ["id", "Prompt", "image"];
    private readonly TempDirectory _temp = new("parquet-manifest");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AParquetManifest_AcrossRowGroups_ResolvesRelativePaths_AndReportsNullOrEmptyFieldsByRow()
    {
        Directory.CreateDirectory(_temp.Combine("sub"));
        var manifest = _temp.Combine("sub", "m.parquet");
        await ParquetFiles.WriteStringsAsync(manifest, Columns,
            [["1", "a cat", "../x.png"], ["2", "a dog", "/abs/y.png"]],
            [["3", null, "z.png"], ["4", "a car", null], ["5", "  ", "w.png"], ["6", "a bird", ""]]);

        var inputs = await ScoreInputReader.ReadAsync(manifest, CancellationToken.None);

        Assert.Equal(6, inputs.Count);
        Assert.Equal("../x.png", inputs[0].Image);
        Assert.Equal(_temp.Combine("x.png"), inputs[0].ImagePath);
        Assert.Equal("a cat", inputs[0].Prompt);
        Assert.Null(inputs[0].ProblemCode);
        Assert.Equal("/abs/y.png", inputs[1].ImagePath);
        Assert.Equal(_temp.Combine("sub", "z.png"), inputs[2].ImagePath);
        Assert.Null(inputs[2].Prompt);
        Assert.Equal(ErrorCodes.PromptMissing, inputs[2].ProblemCode);
        Assert.Contains("row 3", inputs[2].Problem, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.MessageInvalid, inputs[3].ProblemCode);
        Assert.Contains("row 4: the 'image' column is null", inputs[3].Problem, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.PromptInvalid, inputs[4].ProblemCode);
        Assert.Equal(ErrorCodes.MessageInvalid, inputs[5].ProblemCode);
        Assert.Contains("row 6: the 'image' column is empty", inputs[5].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameRowsAsParquetAndAsCsv_GiveTheSameInputsAndProblemCodes()
    {
        string?[][] rows = [["1", "a cat, \"smiling\"", "img/c.png"], ["2", null, "d.png"], ["3", "a dog", null], ["4", "a car", "/abs/e.png"]];
        var parquet = _temp.Combine("m.parquet");
        await ParquetFiles.WriteStringsAsync(parquet, Columns, rows[..2], rows[2..]);
        var csv = _temp.Combine("m.csv");
        await File.WriteAllLinesAsync(csv, ["id,prompt,image", .. rows.Select(r => string.Join(',', r.Select(v => CsvField.Quote(v ?? ""))))]);

        var fromParquet = await ScoreInputReader.ReadAsync(parquet, CancellationToken.None);
        var fromCsv = await ScoreInputReader.ReadAsync(csv, CancellationToken.None);

        Assert.Equal(4, fromParquet.Count);
        Assert.Equal(
            fromCsv.Select(i => (i.Image, i.ImagePath, i.Prompt, i.ProblemCode)),
            fromParquet.Select(i => (i.Image, i.ImagePath, i.Prompt, i.ProblemCode)));
    }

    [Fact]
    public async Task UnannotatedByteArrayColumns_AreReadAsUtf8Strings()
    {
        var manifest = _temp.Combine("binary.parquet");
        var image = new DataField<byte[]>("image");
        var prompt = new DataField<byte[]>("prompt");
        await using (var stream = File.Create(manifest))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(image, prompt), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(image, [[.. "a.png"u8]]);
            await group.WriteAsync(prompt, [[.. "un café"u8]]);
        }

        var input = Assert.Single(await ScoreInputReader.ReadAsync(manifest, CancellationToken.None));

        Assert.Equal("a.png", input.Image);
        Assert.Equal("un café", input.Prompt);
    }

    [Fact]
    public async Task AManifestWithoutAnImageColumn_IsRefusedNamingItsColumns()
    {
        var manifest = _temp.Combine("m.parquet");
        await ParquetFiles.WriteStringsAsync(manifest, ["path", "prompt"], [["a.png", "a cat"]]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ScoreInputReader.ReadAsync(manifest, CancellationToken.None));

        Assert.Contains("no 'image' column", error.Message, StringComparison.Ordinal);
        Assert.Contains("path, prompt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonStringImageColumn_IsRefusedNamingItsType()
    {
        var manifest = _temp.Combine("m.parquet");
        var image = new DataField<int>("image");
        var prompt = new DataField<string>("prompt");
        await using (var stream = File.Create(manifest))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(image, prompt), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(image, new[] { 7 });
            await group.WriteAsync(prompt, ["a cat"]);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ScoreInputReader.ReadAsync(manifest, CancellationToken.None));

        Assert.Contains("column 'image' is Int32, not a string", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("pages")]
    public async Task ACorruptFile_IsAClearError(string damage)
    {
        var valid = _temp.Combine("valid.parquet");
        await ParquetFiles.WriteStringsAsync(valid, ["image", "prompt"], [.. Enumerable.Range(0, 200).Select(i => new string?[] { $"img/{i}.png", $"prompt number {i}" })]);
        var bytes = await File.ReadAllBytesAsync(valid);
        var manifest = _temp.Combine("bad.parquet");
        switch (damage)
        {
            case "text":
                await File.WriteAllTextAsync(manifest, "image,prompt\na.png,a cat\n");
                break;
            case "empty":
                await File.WriteAllBytesAsync(manifest, []);
                break;
            case "truncated":
                await File.WriteAllBytesAsync(manifest, bytes[..(bytes.Length / 2)]);
                break;
            default:
                // The footer is intact; the column chunks after the 4-byte magic are overwritten.
                Array.Fill(bytes, (byte)0xA5, 4, bytes.Length / 2);
                await File.WriteAllBytesAsync(manifest, bytes);
                break;
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ScoreInputReader.ReadAsync(manifest, CancellationToken.None));

        Assert.Contains($"{manifest} is not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }
}
