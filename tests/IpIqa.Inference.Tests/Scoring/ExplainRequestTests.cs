using IpIqa.Core.Batching;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Scoring;

/// <summary>Plain scoring never binds the attention output; an explained request gets its own item's map.</summary>
public sealed class ExplainRequestTests
{
    [Fact]
    public async Task Plain_requests_never_run_with_the_attention_output_and_explained_ones_get_their_own_map()
    {
        var session = new FakeModelSession(maxBatchSize: 4) { AttentionGrid = 3 };
        using var metrics = new InferenceMetrics();
        await using var engine = new ScoringEngine(
            session,
            new FakeTokenizer(),
            new FakePreprocessor(),
            new TextFeatureCache(10, metrics),
            metrics,
            new ScoringEngineOptions { Batching = new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(20) }, MaxPromptBytes = 8 },
            NullLogger<ScoringEngine>.Instance);

        var plain = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => engine.ScoreAsync(Request((byte)i), CancellationToken.None)));
        Assert.All(plain, o => Assert.True(o.IsSuccess));
        Assert.Equal(0, session.AttentionRuns);

        var explained = await engine.ScoreExplainedAsync(Request(7), CancellationToken.None);

        Assert.True(engine.CanExplain);
        Assert.Equal(1, session.AttentionRuns);
        var map = Assert.IsType<AttentionMap>(explained.Attention);
        Assert.Equal(3, map.Grid);
        Assert.Equal(Enumerable.Repeat(7f, 9), map.Weights);
    }

    [Fact]
    public async Task Session_without_attention_cannot_explain_and_says_to_re_export()
    {
        var session = new FakeModelSession(maxBatchSize: 2);
        using var metrics = new InferenceMetrics();
        await using var engine = new ScoringEngine(
            session,
            new FakeTokenizer(),
            new FakePreprocessor(),
            new TextFeatureCache(10, metrics),
            metrics,
            new ScoringEngineOptions { Batching = new DynamicBatcherOptions { MaxBatchSize = 2, MaxQueueDelay = TimeSpan.FromMilliseconds(20) }, MaxPromptBytes = 8 },
            NullLogger<ScoringEngine>.Instance);

        Assert.False(engine.CanExplain);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => engine.ScoreExplainedAsync(Request(1), CancellationToken.None));
        Assert.Contains("ipiqa-train export", error.Message, StringComparison.Ordinal);
    }

    private static ScorerInput Request(byte pixel) => new(ImageInput.FromBytes($"img{pixel}", new[] { pixel }), "101");
}
