using System.Text.Json;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tokenization;
using IpIqa.Imaging;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Reference;

/// <summary>
/// The engine returns the prompt's attention map only for the requests that ask, from the same run as
/// their scores; a bundle without the attention output still scores and says how to get one.
/// </summary>
public sealed class ExplainedScoringTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>
{
    private const string AttentionFixture = "ipiqa-reference/attention.json";
    private const double Tolerance = 1e-4;

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab, AttentionFixture)]
    public async Task Explained_requests_get_the_reference_attention_maps_and_the_others_none_in_the_same_batches()
    {
        await using var loaded = Load(reference.Folder, batchSize: 6);
        var samples = ReferenceBundle.Samples();
        var (expected, grid) = ReadFixture();
        Assert.True(loaded.Engine.CanExplain);

        // Even items ask for the map, odd ones do not; all six go to the batcher together.
        async Task<ExplainedOutcome> Plain(ScorerInput request) => new(await loaded.Engine.ScoreAsync(request, CancellationToken.None), null);
        var tasks = samples.Select((s, i) => new ScorerInput(ImageInput.FromFile(s.Image), s.Prompt))
            .Select((request, i) => i % 2 == 0 ? loaded.Engine.ScoreExplainedAsync(request, CancellationToken.None) : Plain(request)).ToArray();
        var outcomes = await Task.WhenAll(tasks);

        var scores = ReferenceBundle.Scores();
        for (var i = 0; i < samples.Count; i++)
        {
            var outcome = outcomes[i];
            Assert.True(outcome.Outcome.IsSuccess, $"sample {i}: {outcome.Outcome.Error?.Message}");
            FloatAssert.Close(scores.AsSpan(i * 2, 2).ToArray(), [(float)outcome.Outcome.Scores.Quality, (float)outcome.Outcome.Scores.Alignment], Tolerance, $"scores {i}");
            if (i % 2 == 1)
            {
                Assert.Null(outcome.Attention);
                continue;
            }

            var map = Assert.IsType<AttentionMap>(outcome.Attention);
            Assert.Equal(grid, map.Grid);
            FloatAssert.Close(expected.AsSpan(i * grid * grid, grid * grid).ToArray(), map.Weights, Tolerance, $"attention {i}");
        }
    }

    [FixtureFact(ReferenceBundle.Vocab)]
    public async Task Bundle_without_the_attention_output_scores_and_refuses_to_explain_with_a_re_export_hint()
    {
        using var temp = new TempDirectory("no-attention");
        await using var demo = Load(DemoBundle.Folder, batchSize: 2);
        await using var loaded = Load(DemoBundle.CopyWithoutAttention(temp.Combine("bundle")), batchSize: 2);
        var request = new ScorerInput(ImageInput.FromFile(DemoBundle.Sample("good-clean.png")), "a red circle");

        Assert.True(demo.Engine.CanExplain);
        Assert.False(loaded.Engine.CanExplain);
        Assert.True((await loaded.Engine.ScoreAsync(request, CancellationToken.None)).IsSuccess);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => loaded.Engine.ScoreExplainedAsync(request, CancellationToken.None));
        Assert.Contains("no 'attention' output", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-export it with ipiqa-train export", error.Message, StringComparison.Ordinal);
    }

    private static LoadedScoringEngine Load(string folder, int batchSize) => ScoringEngineFactory.Create(
        new ModelOptions { BundlePath = folder, ExecutionProvider = ExecutionProvider.Cpu },
        new ScoringEngineOptions { Batching = new() { MaxBatchSize = batchSize, MaxQueueDelay = TimeSpan.FromMilliseconds(50) } },
        bundle => BundleTokenizerLoader.Load(bundle.Manifest, bundle.Folder),
        new ImagePreprocessor(new ImagingOptions()),
        NullLoggerFactory.Instance);

    private static (float[] Values, int Grid) ReadFixture()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(AttentionFixture)));
        var shape = json.RootElement.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        return (json.RootElement.GetProperty("attention").EnumerateArray().Select(v => v.GetSingle()).ToArray(), shape[1]);
    }
}
