using IpIqa.Core.Contracts;

namespace IpIqa.Core.Tests.Contracts;

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

    [Fact]
    public void Find_matches_the_key_without_regard_to_case_decodes_and_treats_blank_as_absent()
    {
        var metadata = new Dictionary<string, string> { ["Prompt"] = "caf%C3%A9%20au%20lait", ["blank"] = "%20 ", ["other"] = "x" };

        Assert.Equal("café au lait", PromptMetadata.Find(metadata, "prompt"));
        Assert.Null(PromptMetadata.Find(metadata, "blank"));
        Assert.Null(PromptMetadata.Find(metadata, "caption"));
        Assert.Null(PromptMetadata.Find(null, "prompt"));
    }
}
