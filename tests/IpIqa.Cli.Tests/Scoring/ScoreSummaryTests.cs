using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Inference.Scoring;

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
        summary.Add(new ScoreOutcome("a", "p", new ModelScores(1, 4), new Verdict(Verdict.Pass, []), null, ScoreTimings.None));
        summary.Add(new ScoreOutcome("b", "p", new ModelScores(3, 2), new Verdict(Verdict.Fail, ["quality<2"]), null, ScoreTimings.None));
        summary.Add(new ScoreOutcome("c", "p", null, null, new ScoreError("image_not_found", "x"), ScoreTimings.None));
        summary.Add(new ScoreOutcome("d", "p", null, null, new ScoreError("image_not_found", "y"), ScoreTimings.None));

        Assert.Equal(4, summary.Count);
        Assert.Equal(2, summary.Scored);
        Assert.Equal(1, summary.Passed);
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(2, summary.FailuresByCode["image_not_found"]);
        Assert.Equal(1, summary.Quality!.Min);
        Assert.Equal(3, summary.Quality.Max);
        Assert.Equal(3, summary.Alignment!.Median);
    }
}
