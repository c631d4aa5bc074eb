using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;

namespace IpIqa.Cli.Tests.Scoring;

public sealed class ScoreSummaryTests
{
    [Fact]
    public void PercentilesInterpolateBetweenRanksLikeNumPy()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

        Assert.Equal(2.0, Distribution.Percentile(sorted, 10), 10);
        Assert.Equal(6.0, Distribution.Percentile(sorted, 50), 10);
        Assert.Equal(1.0, Distribution.Percentile([1, 3], 0), 10);
        Assert.Equal(2.0, Distribution.Percentile([1, 3], 50), 10);
    }

    [Fact]
    public void TheSummaryCountsFailuresByCodeAndVerdicts()
    {
        var summary = new ScoreSummary();
        summary.Add(Scored("a", new Scores(1, 4), new Verdict(Verdict.Pass, [])));
        summary.Add(Scored("b", new Scores(3, 2), new Verdict(Verdict.Fail, ["quality<2"])));
        summary.Add(ScoringResult.Failed(Request("c"), new ResultError("image_not_found", "x"), Model, DateTimeOffset.UnixEpoch));
        summary.Add(ScoringResult.Failed(Request("d"), new ResultError("image_not_found", "y"), Model, DateTimeOffset.UnixEpoch));

        Assert.Equal(4, summary.Count);
        Assert.Equal(2, summary.Scored);
        Assert.Equal(1, summary.Passed);
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(2, summary.FailuresByCode["image_not_found"]);
        Assert.Equal(1, summary.Quality!.Min);
        Assert.Equal(3, summary.Quality.Max);
        Assert.Equal(3, summary.Alignment!.Median);
    }

    private static readonly ModelInfo Model = new("m", "1", "0123456789ab");

    private static ScoringRequest Request(string image) => new(image, new ImageReference(Path: image), "p");

    private static ScoringResult Scored(string image, Scores scores, Verdict verdict) =>
        ScoringResult.Scored(Request(image), scores, verdict, Model, DateTimeOffset.UnixEpoch, new ResultTimings(0, 0, 0, 0));
}
