using System.Globalization;
using IpIqa.Core.Batching;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tokenization;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Fakes;
using IpIqa.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Scoring;

/// <summary>
/// Per-word attribution with a head graph runs the image graph once per image, each word variant only through the
/// text tower and the head; without one, every variant runs the image graph, and the attributions are the same.
/// </summary>
public sealed class WordAttributionRunsTests
{
    // Each word is a number and a prompt's one text id is their sum, so leaving word w out lowers the fake's alignment by w.
    private static readonly long[] Words = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    [Fact]
    public async Task With_a_head_graph_a_ten_word_prompt_runs_the_image_graph_once_and_the_head_once_per_word()
    {
        var session = new FakeModelSession(maxBatchSize: 4) { AttentionGrid = 2, HasHead = true };
        var preprocessor = new FakePreprocessor();
        using var metrics = new InferenceMetrics();
        await using var engine = Engine(session, preprocessor, metrics);

        var explained = await Explain(engine);

        Assert.True(engine.ReusesImageFeatures);
        Assert.Equal(1, session.ImageItems);
        Assert.Equal(1, preprocessor.Calls);
        Assert.Equal(Words.Length, session.HeadItems);
        AssertAttributions(explained);
    }

    [Fact]
    public async Task Without_a_head_graph_each_word_runs_the_image_graph_and_the_attributions_are_the_same()
    {
        var session = new FakeModelSession(maxBatchSize: 4) { AttentionGrid = 2 };
        using var metrics = new InferenceMetrics();
        await using var engine = Engine(session, new FakePreprocessor(), metrics);

        var explained = await Explain(engine);

        Assert.False(engine.ReusesImageFeatures);
        Assert.Equal(1 + Words.Length, session.ImageItems);
        Assert.Equal(0, session.HeadItems);
        AssertAttributions(explained);
    }

    [Fact]
    public async Task Scoring_prompts_on_a_session_without_a_head_graph_says_how_to_get_one()
    {
        using var metrics = new InferenceMetrics();
        await using var engine = Engine(new FakeModelSession(maxBatchSize: 4) { AttentionGrid = 2 }, new FakePreprocessor(), metrics);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => engine.ScorePromptsAsync(new([[1f]], [[1L]]), ["1"], CancellationToken.None));

        Assert.Contains("ipiqa-train add-head", error.Message, StringComparison.Ordinal);
    }

    private static async Task<ExplainedScore> Explain(ScoringEngine engine)
    {
        var prompt = string.Join(' ', Words.Select(w => w.ToString(CultureInfo.InvariantCulture)));
        var input = new ScorerInput(ImageInput.FromFile(DemoBundle.Sample("good-clean.png")), prompt);
        return await new EngineExplainer(engine).ScoreExplainedAsync(input, "good-clean", words: true, CancellationToken.None);
    }

    private static void AssertAttributions(ExplainedScore explained)
    {
        Assert.True(explained.Outcome.IsSuccess, explained.Outcome.Error?.Message);
        var words = Assert.IsAssignableFrom<IReadOnlyList<Core.Contracts.WordAttribution>>(explained.Explanation?.Words);
        Assert.Equal(Words.Select(w => w.ToString(CultureInfo.InvariantCulture)), words.Select(w => w.Word));
        Assert.Equal(Words.Select(w => (double?)w), words.Select(w => w.Change));
        Assert.Equal(Words.Select(w => (double?)(Words.Sum() - w)), words.Select(w => w.AlignmentWithout));
    }

    private static ScoringEngine Engine(FakeModelSession session, FakePreprocessor preprocessor, InferenceMetrics metrics) =>
 new ScoringEngine(
            session,
            new SumTokenizer(),
            preprocessor,
            new TextFeatureCache(64, metrics),
            metrics,
            new ScoringEngineOptions { Batching = new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(20) }, MaxPromptBytes = 64 },
            NullLogger<ScoringEngine>.Instance);

    /// <summary>A prompt of numbers becomes [start, their sum, end, 0].</summary>
    private sealed class SumTokenizer : IPromptTokenizer
    {
        public int ContextLength => 4;

        public TokenizedPrompt Encode(string text)
        {
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new TokenizedPrompt([49406, words.Sum(w => long.Parse(w, CultureInfo.InvariantCulture)), 49407, 0], words, false);
        }
    }
}
