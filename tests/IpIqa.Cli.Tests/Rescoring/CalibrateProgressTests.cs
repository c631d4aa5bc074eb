using System.Globalization;
using System.Text.RegularExpressions;
using IpIqa.Cli.Rescoring;
using IpIqa.Core.Progress;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary><c>ipiqa calibrate</c> tells its progress while it reads the reference scores (#15).</summary>
public sealed partial class CalibrateProgressTests : IDisposable
{
    private readonly TempDirectory _temp = new("calibrate-progress");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadingAResultsCsv_ReportsMonotoneCounts_EndingAtTheRowCount()
    {
        var csv = _temp.Combine("results.csv");
        File.WriteAllLines(csv, ["image,quality,alignment", .. Enumerable.Range(0, 25).Select(i => string.Create(CultureInfo.InvariantCulture, $"i{i}.png,{i / 25.0},{1 - (i / 25.0)}")), "bad.png,,"]);
        using var writer = new StringWriter();
        long told = -1;

        var (quality, _) = CalibrateRunner.ReadScores(csv, total =>
        {
            told = total;
            return new CountProgressLines(writer, "reading scores", total, TimeSpan.Zero);
        });

        Assert.Equal(25, quality.Count);
        Assert.Equal(26, told);
        var counts = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Count().Match(line))
            .Select(match => (Done: int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), Total: int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToArray();
        Assert.Equal(27, counts.Length); // one per row, then the last
        Assert.All(counts, c => Assert.Equal(26, c.Total));
        Assert.Equal(Enumerable.Range(1, 26).Append(26), counts.Select(c => c.Done));
    }

    [GeneratedRegex(@"^reading scores: (\d+)/(\d+) \(\d+%\), [0-9.]+/s")]
    private static partial Regex Count();
}
