using IpIqa.Azure.Blobs;
using IpIqa.Core.Contracts;

namespace IpIqa.Azure.Tests.Jobs;

public sealed class ScoreTagsTests
{
    [Theory]
    [InlineData(0.73125, "0.73125")]
    [InlineData(0.4, "0.40000")]
    [InlineData(4.123456, "4.12346")]
    [InlineData(-0.2, "0.00000")]
    [InlineData(12.5, "9.99999")]
    [InlineData(double.NaN, "0.00000")]
    public void Scores_are_fixed_width_so_string_order_is_numeric_order(double score, string tag) =>
        Assert.Equal(tag, ScoreTags.FixedWidth(score));

    [Fact]
    public void String_order_of_tags_matches_numeric_order()
    {
        double[] scores = [0.05, 3.2, 0.5, 1.0, 0.0001, 2.75];

        var byTag = scores.OrderBy(ScoreTags.FixedWidth, StringComparer.Ordinal);

        Assert.Equal(scores.Order(), byTag);
    }

    [Theory]
    [InlineData("image_undecodable", true)]
    [InlineData("image_too_large", true)]
    [InlineData("image_empty", true)]
    [InlineData("image_unsupported_format", true)]
    [InlineData("image_not_found", false)]
    [InlineData("source_not_allowed", false)]
    [InlineData("prompt_invalid", false)]
    [InlineData("scoring_failed", false)]
    public void Only_errors_about_the_image_itself_are_tagged(string code, bool tagged)
    {
        var request = new ScoringRequest("j", new ImageReference(Uri: "https://a.blob.core.windows.net/c/x.png"), "a cat");
        var result = ScoringResult.Failed(request, new ResultError(code, "why"), new ModelInfo("m", "1", "0123456789ab"), DateTimeOffset.UnixEpoch);

        var tags = ScoreTags.For(result);

        if (tagged)
        {
            Assert.Equal([new(ScoreTags.Verdict, "error"), new(ScoreTags.Error, code), new(ScoreTags.Model, "0123456789ab")], tags);
        }
        else
        {
            Assert.Empty(tags);
        }
    }

    [Fact]
    public void Merge_keeps_other_tags_replaces_ours_and_stops_at_ten()
    {
        var existing = Enumerable.Range(0, 7).ToDictionary(i => $"t{i}", i => "x");
        existing[ScoreTags.Quality] = "0.10000";
        KeyValuePair<string, string>[] ours = [new(ScoreTags.Verdict, "pass"), new(ScoreTags.Quality, "0.90000"), new(ScoreTags.Alignment, "0.50000"), new(ScoreTags.Model, "abc")];

        var merged = ScoreTags.Merge(existing, ours, out var dropped);

        Assert.Equal(10, merged.Count);
        Assert.Equal("0.90000", merged[ScoreTags.Quality]);
        Assert.Equal("0.50000", merged[ScoreTags.Alignment]);
        Assert.Equal([ScoreTags.Model], dropped);
        Assert.All(Enumerable.Range(0, 7), i => Assert.Equal("x", merged[$"t{i}"]));
    }
}
