using IpIqa.Inference.Scoring;

namespace IpIqa.Inference.Tests.Scoring;

public sealed class VerdictTests
{
    [Theory]
    [InlineData(3.0f, 2.0f, null, null, true, "")]
    [InlineData(3.0f, 2.0f, 3.0, 2.0, true, "")]
    [InlineData(2.9f, 2.0f, 3.0, 2.0, false, "quality")]
    [InlineData(3.0f, 1.5f, 3.0, 2.0, false, "alignment")]
    [InlineData(1.0f, 1.0f, 3.0, 2.0, false, "quality,alignment")]
    [InlineData(1.0f, 5.0f, null, 2.0, true, "")]
    public void EachSetThresholdIsChecked(float quality, float alignment, double? qualityMin, double? alignmentMin, bool pass, string failed)
    {
        var verdict = Verdict.Evaluate(new ModelScores(quality, alignment), new ScoreThresholds(qualityMin, alignmentMin));

        Assert.Equal(pass, verdict.Pass);
        Assert.Equal(pass ? "pass" : "fail", verdict.Word);
        Assert.Equal(failed, string.Join(",", verdict.FailedChecks));
    }
}
