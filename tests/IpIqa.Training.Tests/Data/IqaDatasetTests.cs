using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Tables;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Data;

public sealed class IqaDatasetTests : IDisposable
{
    private const string Agiqa3kHeader = "name,prompt,adj1,adj2,style,mos_quality,std_quality,mos_align,std_align";
    private readonly TempDirectory _temp = new();

    public IqaDatasetTests() => Directory.CreateDirectory(ImagesDir);

    private string ImagesDir => _temp.Combine("images");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Agiqa3k_ValidFile_LoadsSamplesGroupedByTrailingPromptIndex()
    {
        var csv = WriteCsv(
            Agiqa3kHeader,
            "midjourney_lowstep_002.jpg,\"a cat, sitting\",,,photo,3.25,0.5,4.1,0.4",
            "AttnGAN_normal_002.png,\"a cat, sitting\",,,photo,1.5,0.7,2.2,0.6",
            "sd1.5_highcorr_010.jpg,\"a \"\"quoted\"\" dog\",adj,adj,anime,2.0,0.3,3.0,0.2");

        var set = IqaDataset.Load(DatasetKind.Agiqa3k, csv, ImagesDir);

        Assert.Equal(3, set.Samples.Count);
        Assert.True(set.HasAlignment);
        Assert.Equal(set.Samples[0].PromptGroup, set.Samples[1].PromptGroup);
        Assert.NotEqual(set.Samples[0].PromptGroup, set.Samples[2].PromptGroup);
        Assert.Equal("a \"quoted\" dog", set.Samples[2].Prompt);
        Assert.Equal(3.25, set.Samples[0].Quality);
        Assert.Equal(4.1, set.Samples[0].Alignment);
        Assert.Equal(Path.Combine(ImagesDir, "midjourney_lowstep_002.jpg"), set.Samples[0].ImagePath);
    }

    [Fact]
    public void Agiqa3k_MalformedRows_AreAllReportedWithTheirLineNumbers()
    {
        var csv = WriteCsv(
            Agiqa3kHeader,
            "ok_001.png,fine,,,s,3,0.1,3,0.1",
            "short_002.png,too few fields,,,s,3",
            "nan_003.png,bad mos,,,s,high,0.1,3,0.1",
            "empty_004.png,,,,s,3,0.1,3,0.1",
            "ghost_005.png,missing image,,,s,3,0.1,3,0.1");
        File.Delete(Path.Combine(ImagesDir, "ghost_005.png"));

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.Agiqa3k, csv, ImagesDir));

        Assert.Equal(4, e.TotalIssues);
        Assert.Equal([3, 4, 5, 6], e.Issues.Select(i => i.Line));
        Assert.Contains("expected 9 fields, found 6", e.Issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("'mos_quality' is not a number: 'high'", e.Issues[1].Message, StringComparison.Ordinal);
        Assert.Contains("'prompt' is empty", e.Issues[2].Message, StringComparison.Ordinal);
        Assert.Contains("image 'ghost_005.png' not found", e.Issues[3].Message, StringComparison.Ordinal);
        Assert.Contains("line 4:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManyProblems_ReportsUpToTheLimitAndCountsTheRest()
    {
        var rows = Enumerable.Range(0, 30).Select(i => $"img_{i:D3}.png,p,,,s,x,0,y,0");
        var csv = WriteCsv([Agiqa3kHeader, .. rows]);

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.Agiqa3k, csv, ImagesDir, maxIssues: 5));

        Assert.Equal(5, e.Issues.Count);
        Assert.Equal(60, e.TotalIssues);
        Assert.Contains("and 55 more", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateImage_NamesBothLines()
    {
        var csv = WriteCsv("image,prompt,quality", "x.png,p,1", "y.png,q,2", "x.png,r,3");

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.PlainCsv, csv, ImagesDir));

        var issue = Assert.Single(e.Issues);
        Assert.Equal(4, issue.Line);
        Assert.Contains("first on line 2", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ImageOutsideTheImageFolder_IsRejected()
    {
        File.WriteAllBytes(_temp.Combine("secret.png"), [0]);
        var path = _temp.Combine("data.csv");
        File.WriteAllText(path, "image,prompt,quality\n../secret.png,p,1\n");

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.PlainCsv, path, ImagesDir));

        Assert.Contains("outside the image folder", Assert.Single(e.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Utf8ByteOrderMark_IsNotPartOfTheFirstColumnName()
    {
        TouchImages("a_001.png");
        var path = _temp.Combine("data.csv");
        File.WriteAllText(path, Agiqa3kHeader + "\na_001.png,p,,,s,3,0,4,0\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var set = IqaDataset.Load(DatasetKind.Agiqa3k, path, ImagesDir);

        Assert.Equal("p1", Assert.Single(set.Samples).PromptGroup);
    }

    [Fact]
    public void Agiqa3k_NameWithoutPromptIndex_IsAnError()
    {
        var csv = WriteCsv(Agiqa3kHeader, "noindex.png,p,,,s,3,0,3,0");

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.Agiqa3k, csv, ImagesDir));

        Assert.Contains("does not end in a prompt index", Assert.Single(e.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agiqa3k_HeaderLackingAColumn_NamesIt()
    {
        var csv = WriteCsv("name,prompt,mos_quality", "a_001.png,p,3");

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.Agiqa3k, csv, ImagesDir));

        Assert.Contains("'mos_align'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agiqa1k_Xlsx_LoadsQualityOnly_GroupedByPromptText()
    {
        TouchImages("1.png", "2.png", "3.png");
        var xlsx = _temp.Combine("AIGC_MOS_Zscore.xlsx");
        XlsxWriter.Write(xlsx, [["Image", "Prompt", "MOS"], ["1.png", "A red fox", 0.75], ["2.png", "a red  fox", -1.25], ["3.png", "a blue fox", 1.5]]);

        var set = IqaDataset.Load(DatasetKind.Agiqa1k, xlsx, ImagesDir);

        Assert.Equal([0.75, -1.25, 1.5], set.Samples.Select(s => s.Quality));
        Assert.All(set.Samples, s => Assert.Null(s.Alignment));
        Assert.False(set.HasAlignment);
        Assert.Equal(set.Samples[0].PromptGroup, set.Samples[1].PromptGroup);
        Assert.NotEqual(set.Samples[0].PromptGroup, set.Samples[2].PromptGroup);
    }

    [Fact]
    public void Agiqa1k_BadRow_NamesTheSpreadsheetRow()
    {
        TouchImages("1.png");
        var xlsx = _temp.Combine("AIGC_MOS_Zscore.xlsx");
        XlsxWriter.Write(xlsx, [["Image", "Prompt", "MOS"], ["1.png", "fine", 1.0], ["1.png", "bad", "n/a"]], inlineStrings: true);

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.Agiqa1k, xlsx, ImagesDir));

        var issue = Assert.Single(e.Issues);
        Assert.Equal(3, issue.Line);
        Assert.Contains("'MOS' is not a number", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PlainCsv_WithOrWithoutHeader_Loads(bool header)
    {
        string[] rows = ["x.png,a prompt,3.5,4", "y.png,\"another, prompt\",2,1"];
        var csv = WriteCsv(header ? ["image,prompt,quality,alignment", .. rows] : rows);

        var set = IqaDataset.Load(DatasetKind.PlainCsv, csv, ImagesDir);

        Assert.Equal([3.5, 2.0], set.Samples.Select(s => s.Quality));
        Assert.Equal([4.0, 1.0], set.Samples.Select(s => s.Alignment!.Value));
        Assert.Equal("another, prompt", set.Samples[1].Prompt);
    }

    [Fact]
    public void PlainCsv_QualityOnly_HasNoAlignment()
    {
        var csv = WriteCsv("image,prompt,quality", "x.png,a prompt,3.5");

        var set = IqaDataset.Load(DatasetKind.PlainCsv, csv, ImagesDir);

        Assert.Null(Assert.Single(set.Samples).Alignment);
    }

    [Fact]
    public void Load_MissingTableOrFolder_NamesThePath()
    {
        var missing = _temp.Combine("nope.csv");
        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.PlainCsv, missing, ImagesDir));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);

        var csv = WriteCsv("x.png,p,1");
        var folder = _temp.Combine("no-images");
        e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.PlainCsv, csv, folder));
        Assert.Contains(folder, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BrokenCsv_IsADatasetErrorNamingTheLine()
    {
        var path = _temp.Combine("broken.csv");
        File.WriteAllText(path, "image,prompt,quality\nx.png,\"never closed,3\n");

        var e = Assert.Throws<DatasetException>(() => IqaDataset.Load(DatasetKind.PlainCsv, path, ImagesDir));

        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    private string WriteCsv(params string[] lines)
    {
        var header = lines[0].StartsWith("name,", StringComparison.Ordinal) || lines[0].StartsWith("image,", StringComparison.Ordinal);
        foreach (var line in lines.Skip(header ? 1 : 0))
        {
            var name = CsvTable.Parse(line, "row")[0].Fields[0];
            TouchImages(name);
        }

        var path = _temp.Combine("data.csv");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private void TouchImages(params string[] names)
    {
        foreach (var name in names)
        {
            File.WriteAllBytes(Path.Combine(ImagesDir, name), [0]);
        }
    }
}
