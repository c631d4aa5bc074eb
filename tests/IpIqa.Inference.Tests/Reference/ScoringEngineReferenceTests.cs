using IpIqa.Core.Jobs;
using IpIqa.Imaging;
using IpIqa.Core.Tokenization;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Reference;

/// <summary>The whole path (files, decoder, tokenizer, batcher, ONNX Runtime) on the reference samples reproduces scores.f32.</summary>
public sealed class ScoringEngineReferenceTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>
{
    private const double Tolerance = 1e-4;

    [FixtureTheory(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task ScoringTheReferenceImagesAndPromptsReproducesTheReferenceScores(int batchSize)
    {
        await using var loaded = ScoringEngineFactory.Create(
            new ModelOptions { BundlePath = reference.Folder, ExecutionProvider = ExecutionProvider.Cpu },
            new ScoringEngineOptions { Batching = new() { MaxBatchSize = batchSize, MaxQueueDelay = TimeSpan.FromMilliseconds(20) } },
            bundle => BundleTokenizerLoader.Load(bundle.Manifest, bundle.Folder),
            new ImagePreprocessor(new ImagingOptions()),
            NullLoggerFactory.Instance);
        var samples = ReferenceBundle.Samples();
        var requests = samples.Concat(samples).Select(s => new ScorerInput(ImageInput.FromFile(s.Image), s.Prompt)).ToArray();

        var results = new List<ScorerOutcome>();
        await foreach (var result in loaded.Engine.ScoreAllAsync(requests, CancellationToken.None))
        {
            results.Add(result);
        }

        var expected = ReferenceBundle.Scores();
        var actual = results.SelectMany((r, i) =>
        {
            Assert.True(r.IsSuccess, $"{requests[i].Image.Name}: {r.Error?.Code} {r.Error?.Message}");
            return new[] { (float)r.Scores.Quality, (float)r.Scores.Alignment };
        }).ToArray();
        FloatAssert.Close(expected.Concat(expected).ToArray(), actual, Tolerance, "scores");
        Assert.Equal(samples.Count, loaded.Cache.Count);
        Assert.True(loaded.Cache.Hits >= samples.Count - batchSize, $"the second pass should hit the text cache; hits {loaded.Cache.Hits}");
    }
}
