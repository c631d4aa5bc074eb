using IpIqa.Core.Jobs;
using IpIqa.Core.Batching;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Scoring;

/// <summary>A model that returns NaN or infinity fails that item as <c>scoring_failed</c>; its batch-mates keep their scores.</summary>
public sealed class NonFiniteScoreTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task ANonFiniteQuality_IsScoringFailed_AndItsBatchMatesAreScored(float quality)
    {
        // The fake model's quality is the first pixel, so the preprocessor decides each item's score.
        var preprocessor = new ValuePreprocessor(b => b == 9 ? quality : b);
        using var metrics = new InferenceMetrics();
        await using var engine = new ScoringEngine(
            new FakeModelSession(maxBatchSize: 4),
            new FakeTokenizer(),
            preprocessor,
            new TextFeatureCache(16, metrics),
            metrics,
            new ScoringEngineOptions
            {
                Batching = new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(50) },
                Preprocessing = new PreprocessingOptions { Parallelism = 4 },
                MaxPromptBytes = 8,
            },
            NullLogger<ScoringEngine>.Instance);

        var requests = new byte[] { 1, 9, 3 }.Select(b => new ScorerInput(ImageInput.FromBytes($"img{b}", new[] { b }), "5")).ToArray();
        var results = await Task.WhenAll(requests.Select(r => engine.ScoreAsync(r, CancellationToken.None)));

        Assert.False(results[1].IsSuccess);
        Assert.Equal(ErrorCodes.ScoringFailed, results[1].Error!.Code);
        Assert.Contains("non-finite", results[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal([1f, 3f], new[] { results[0], results[2] }.Select(r => r.Scores!.Quality));
    }

    private sealed class ValuePreprocessor(Func<byte, float> value) : IImagePreprocessor
    {
        public void Preprocess(ReadOnlySpan<byte> encoded, PreprocessSpec spec, Span<float> destination) => destination.Fill(value(encoded[0]));
    }
}
