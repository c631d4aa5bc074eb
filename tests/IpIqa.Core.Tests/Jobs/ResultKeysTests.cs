using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs;

public sealed class ResultKeysTests
{
    [Fact]
    public void Key_is_64_lower_hex_and_changes_with_each_part()
    {
        var key = ResultKeys.ForImage("blob:https://a/c/x.png#etag:1", "a cat", "abc");

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, ResultKeys.ForImage("blob:https://a/c/x.png#etag:1", "a cat", "abc"));
        Assert.NotEqual(key, ResultKeys.ForImage("blob:https://a/c/x.png#etag:2", "a cat", "abc"));
        Assert.NotEqual(key, ResultKeys.ForImage("blob:https://a/c/x.png#etag:1", "a dog", "abc"));
        Assert.NotEqual(key, ResultKeys.ForImage("blob:https://a/c/x.png#etag:1", "a cat", "abd"));
    }

    [Fact]
    public void Request_and_message_keys_differ_from_image_keys()
    {
        var request = new ScoringRequest("j", new ImageReference(Path: "x.png"), "a cat");

        var byRequest = ResultKeys.ForRequest(request, "abc");
        var byMessage = ResultKeys.ForMessage("{"u8, "abc");

        Assert.NotEqual(byRequest, byMessage);
        Assert.NotEqual(byRequest, ResultKeys.ForImage("path:x.png", "a cat", "abc"));
        Assert.Equal(byMessage, ResultKeys.ForMessage("{"u8, "abc"));
    }
}
