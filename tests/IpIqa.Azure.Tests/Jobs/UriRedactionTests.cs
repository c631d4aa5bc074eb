using IpIqa.Core.Contracts;

namespace IpIqa.Azure.Tests.Jobs;

public sealed class UriRedactionTests
{
    [Theory]
    [InlineData("https://a.blob.core.windows.net/c/x.png?sv=1&sig=abc", "https://a.blob.core.windows.net/c/x.png")]
    [InlineData("https://a.blob.core.windows.net/c/x.png#sig=abc", "https://a.blob.core.windows.net/c/x.png")]
    [InlineData("https://user:sig=abc@a.blob.core.windows.net/c/x.png", "https://a.blob.core.windows.net/c/x.png")]
    [InlineData("https://a.blob.core.windows.net@evil.example/c/x.png?sig=abc", "https://evil.example/c/x.png")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/c/x.png?sig=abc", "http://127.0.0.1:10000/devstoreaccount1/c/x.png")]
    [InlineData("https://a.blob.core.windows.net/c/x%3Fy.png", "https://a.blob.core.windows.net/c/x%3Fy.png")]
    [InlineData("not a uri?sig=abc", "not a uri")]
    [InlineData("", "")]
    public void Strip_drops_query_fragment_and_user_information(string uri, string expected) =>
        Assert.Equal(expected, UriRedaction.Strip(uri));

    [Fact]
    public void StripAll_cleans_every_uri_in_free_text_and_leaves_the_rest()
    {
        var text = "Image 'https://a.blob.core.windows.net/c/x.png?sig=abc' and http://u:p@h/y?sig=d failed; retry?";

        Assert.Equal("Image 'https://a.blob.core.windows.net/c/x.png' and http://h/y failed; retry?", UriRedaction.StripAll(text));
    }

    [Fact]
    public void Results_never_carry_the_query_of_the_request_uri()
    {
        var request = new ScoringRequest("j", new ImageReference(Uri: "https://a.blob.core.windows.net/c/x.png?sig=abc"), "p");

        var failed = ScoringResult.Failed(request, new ResultError("image_not_found", "Image 'https://a.blob.core.windows.net/c/x.png?sig=abc' does not exist."), null, DateTimeOffset.UnixEpoch);

        Assert.Equal("https://a.blob.core.windows.net/c/x.png", failed.Image!.Uri);
        Assert.DoesNotContain("sig=", failed.Error!.Message, StringComparison.Ordinal);
    }
}
