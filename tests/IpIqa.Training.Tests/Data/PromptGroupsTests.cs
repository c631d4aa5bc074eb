using IpIqa.Training.Data;

namespace IpIqa.Training.Tests.Data;

public sealed class PromptGroupsTests
{
    [Theory]
    [InlineData("midjourney_lowstep_002.jpg", "p2")]
    [InlineData("AttnGAN_normal_001.png", "p1")]
    [InlineData("sd1.5_highcorr_000.jpg", "p0")]
    [InlineData("glide_normal_299.jpg", "p299")]
    [InlineData("synth_v03_0012.png", "p12")]
    public void FromTrailingIndex_ReadsThePromptIndex(string name, string expected) =>
        Assert.Equal(expected, PromptGroups.FromTrailingIndex(name));

    [Theory]
    [InlineData("midjourney_lowstep.jpg")]
    [InlineData("image.png")]
    public void FromTrailingIndex_NoTrailingNumber_IsNull(string name) =>
        Assert.Null(PromptGroups.FromTrailingIndex(name));

    [Fact]
    public void FromText_IgnoresCaseAndSpacing_ButNotWords()
    {
        Assert.Equal(PromptGroups.FromText("A  red fox "), PromptGroups.FromText("a red\tfox"));
        Assert.NotEqual(PromptGroups.FromText("a red fox"), PromptGroups.FromText("a red dog"));
    }
}
