using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>
/// A job's <c>"explain": {"words": true}</c> (#15): read by the one parser (queue messages and HTTP items), gated
/// like <c>"explain": true</c>, capped in prompt words, and answered in the result with each word and its alignment drop.
/// </summary>
public sealed class ExplainWordsJobTests : IDisposable
{
    // 101 UTF-8 bytes: the fake scorer's alignment is (bytes % 100) / 100, so a variant without a word aligns better.
    private const string LongPrompt = "four orange crosses on a white table with a blue cup beside them and a red kite far behind the chairs";
    private readonly TempDirectory _temp = new("explain-words-job");
    private readonly FakeScorer _scorer = new();
    private readonly FakeImageSource _images = new();
    private readonly JobMetrics _metrics = new();

    public ExplainWordsJobTests() => _images.Images["a.png"] = [1, 2, 3];

    public void Dispose()
    {
        _metrics.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("""{"words": true}""", true, true)]
    [InlineData("""{"words": false}""", true, false)]
    [InlineData("""{"words": null}""", true, false)]
    [InlineData("""{}""", true, false)]
    [InlineData("""{"words": true, "later": 1}""", true, true)]
    [InlineData("true", true, false)]
    public void The_parser_reads_the_explain_object(string value, bool explain, bool words)
    {
        var request = Parse(value);

        Assert.Equal(explain, request.Explain);
        Assert.Equal(words, request.ExplainWords);
    }

    [Theory]
    [InlineData("""{"words": "yes"}""")]
    [InlineData("""{"words": 1}""")]
    public void A_mistyped_words_flag_is_message_invalid_naming_it(string value)
    {
        var json = $$"""{"jobId": "j", "image": {"path": "a.png"}, "prompt": "p", "explain": {{value}}}""";

        Assert.False(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(ErrorCodes.MessageInvalid, error!.Code);
        Assert.StartsWith("explain.words must be true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Words_name_each_prompt_word_with_the_alignment_without_it_and_the_result_json_carries_them()
    {
        var explainer = new FakeExplainer(_scorer);
        var service = Service(explainer, new FolderExplanationStore(_temp.Combine("explain")));

        var result = await service.ScoreAsync(Parse("""{"words": true}""", LongPrompt), CancellationToken.None);

        var words = Assert.IsType<ResultExplanation>(result.Explanation).Words!;
        var split = LongPrompt.Split(' ');
        Assert.Equal(split, words.Select(w => w.Word));
        var full = FakeScorer.Expected([1, 2, 3], LongPrompt).Alignment;
        for (var i = 0; i < split.Length; i++)
        {
            var without = FakeScorer.Expected([1, 2, 3], string.Join(' ', split.Where((_, j) => j != i))).Alignment;
            Assert.Equal(without, words[i].AlignmentWithout);
            Assert.Equal(full - without, words[i].Change);
        }

        Assert.NotEmpty(result.Explanation!.UnsupportedWords);
        Assert.Equal(words.Where(w => w.Change < 0).Select(w => w.Word), result.Explanation.UnsupportedWords);
        using var json = JsonDocument.Parse(ScoringJson.SerializeResultToString(result));
        var written = json.RootElement.GetProperty("explanation").GetProperty("words").EnumerateArray().ToArray();
        Assert.Equal(split, written.Select(w => w.GetProperty("word").GetString()));
        Assert.Equal(words.Select(w => w.Change!.Value), written.Select(w => w.GetProperty("change").GetDouble()));
        Assert.Equal(split.Length + 1, _scorer.Inputs.Count);
    }

    [Fact]
    public async Task A_prompt_over_the_word_cap_gets_its_overlay_and_explain_too_many_words_and_no_variant_is_scored()
    {
        var explainer = new FakeExplainer(_scorer);
        var service = Service(explainer, new FolderExplanationStore(_temp.Combine("explain")), maxWords: 5);

        var result = await service.ScoreAsync(Parse("""{"words": true}""", "one two three four five six"), CancellationToken.None);

        var explanation = Assert.IsType<ResultExplanation>(result.Explanation);
        Assert.True(File.Exists(explanation.Overlay));
        Assert.Null(explanation.Words);
        Assert.Equal(ExplainCodes.TooManyWords, explanation.Error?.Code);
        Assert.Contains("6 words", explanation.Error!.Message, StringComparison.Ordinal);
        Assert.Equal([false], explainer.WordsAsked);
        Assert.Single(_scorer.Inputs);
    }

    [Fact]
    public async Task A_prompt_at_the_word_cap_gets_its_words()
    {
        var service = Service(new FakeExplainer(_scorer), new FolderExplanationStore(_temp.Combine("explain")), maxWords: 5);

        var result = await service.ScoreAsync(Parse("""{"words": true}""", "one two three four five"), CancellationToken.None);

        Assert.Null(result.Explanation!.Error);
        Assert.Equal(5, result.Explanation.Words!.Count);
    }

    [Fact]
    public async Task Words_asked_of_a_worker_without_explanations_are_refused_as_explain_disabled_and_nothing_extra_is_scored()
    {
        var explainer = new FakeExplainer(_scorer);
        var service = Service(explainer, store: null);

        var result = await service.ScoreAsync(Parse("""{"words": true}""", LongPrompt), CancellationToken.None);

        Assert.NotNull(result.Scores);
        Assert.Equal(ExplainCodes.Disabled, result.Explanation?.Error?.Code);
        Assert.Null(result.Explanation!.Words);
        Assert.Single(_scorer.Inputs);
    }

    private static ScoringRequest Parse(string explain, string prompt = "a cat")
    {
        var json = $$"""{"jobId": "j", "image": {"path": "a.png"}, "prompt": {{JsonSerializer.Serialize(prompt)}}, "explain": {{explain}}}""";
        Assert.True(ScoringRequestParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error?.Message);
        return request;
    }

    private ScoringService Service(IImageExplainer explainer, IExplanationStore? store, int maxWords = ScoringOptions.DefaultMaxExplainWords) =>
        new(_scorer, [_images], new ScoringOptions { MaxExplainWords = maxWords }, _metrics, TimeProvider.System, explainer, store);
}
