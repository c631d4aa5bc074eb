using IpIqa.Core.Contracts;

namespace IpIqa.Core.Tests.Contracts;

public sealed class VerdictCalculatorTests
{
    [Fact]
    public void Decide_NoThresholdsAnywhere_PassesWithNoChecks()
    {
        var verdict = new VerdictCalculator().Decide(new Scores(-100, -100));

        Assert.Equal(Verdict.Pass, verdict.Outcome);
        Assert.Empty(verdict.Failed);
    }

    [Fact]
    public void Decide_ConfiguredDefaults_ApplyWhenTheRequestHasNone()
    {
        var calculator = new VerdictCalculator(new Thresholds(0.4, 0.5));

        var verdict = calculator.Decide(new Scores(0.39, 0.6));

        Assert.Equal(Verdict.Fail, verdict.Outcome);
        Assert.Equal(["quality<0.40"], verdict.Failed);
    }

    [Fact]
    public void Decide_RequestThresholds_OverrideDefaultsOutputByOutput()
    {
        var calculator = new VerdictCalculator(new Thresholds(0.4, 0.5));

        var verdict = calculator.Decide(new Scores(0.3, 0.45), new Thresholds(Quality: 0.25));

        Assert.False(verdict.Passed);
        Assert.Equal(["alignment<0.50"], verdict.Failed);
    }

    [Fact]
    public void Decide_ScoreEqualToThreshold_Passes() =>
        Assert.True(new VerdictCalculator(new Thresholds(0.4, 0.4)).Decide(new Scores(0.4, 0.4)).Passed);

    [Fact]
    public void Decide_NotANumberScore_FailsItsCheck()
    {
        var verdict = new VerdictCalculator(new Thresholds(0.4, 0.125)).Decide(new Scores(double.NaN, 0.1));

        Assert.Equal(["quality<0.40", "alignment<0.125"], verdict.Failed);
    }
}
