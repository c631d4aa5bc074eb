using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

/// <summary>The held-out table of <c>ipiqa-train finetune</c> (#15).</summary>
public sealed class FinetuneSummaryTests
{
    [Fact]
    public void OneSplit_PrintsItsValue_WithNoPlusMinusZero()
    {
        Assert.Equal("0.7321", FinetuneSummary.Cell([0.73214]));
    }

    [Fact]
    public void SeveralSplits_PrintTheMeanAndSampleStandardDeviation()
    {
        Assert.Equal("0.5000 ± 0.1414", FinetuneSummary.Cell([0.4, 0.6]));
    }
}
