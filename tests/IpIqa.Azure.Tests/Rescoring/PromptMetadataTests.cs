using IpIqa.Azure.Rescoring;

namespace IpIqa.Azure.Tests.Rescoring;

public sealed class PromptMetadataTests
{
    [Theory]
    [InlineData("a cat on a red sofa, 4k")]
    [InlineData("un café à Paris — 東京の夜")]
    [InlineData("100% cotton\nshirt")]
    public void APrompt_RoundTripsThroughAnAsciiMetadataValue(string prompt)
    {
        var stored = PromptMetadata.Encode(prompt);

        Assert.All(stored, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(prompt.Trim(), PromptMetadata.Decode(stored));
    }

    [Fact]
    public void APlainAsciiPrompt_IsStoredAsItIs()
    {
        Assert.Equal("a dog", PromptMetadata.Encode("a dog"));
        Assert.Equal("a dog", PromptMetadata.Decode("  a dog "));
    }
}
