using IpIqa.Core.Jobs;
using IpIqa.Core.Tokenization;
using IpIqa.Imaging;
using IpIqa.Inference;
using IpIqa.Inference.Scoring;
using IpIqa.Training.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Training.Evaluation;

/// <summary>
/// Scores (image, prompt) pairs with a model bundle through the serving engine (ONNX Runtime, the bundle's
/// tokenizer, the serving preprocessor), so evaluation measures exactly what the worker will run.
/// </summary>
public sealed class BundleScorer(LoadedScoringEngine engine) : IAsyncDisposable
{
    public string ModelName => $"{engine.Bundle.Manifest.Name} {engine.Bundle.Manifest.Version}";

    public static BundleScorer Open(string bundlePath, int batchSize, int threads)
    {
        var model = new ModelOptions { BundlePath = bundlePath, IntraOpThreads = threads, ExecutionProvider = ExecutionProvider.Cpu };
        var options = new ScoringEngineOptions
        {
            Batching = new() { MaxBatchSize = batchSize, MaxQueueDelay = TimeSpan.FromMilliseconds(5), QueueCapacity = batchSize * 4 },
        };
        return new BundleScorer(ScoringEngineFactory.Create(
            model,
            options,
            bundle => BundleTokenizerLoader.Load(bundle.Manifest, bundle.Folder),
            new ImagePreprocessor(new ImagingOptions()),
            NullLoggerFactory.Instance));
    }

    /// <summary>Scores every pair, in order: (quality, alignment), or the error of a pair that could not be scored.</summary>
    public async Task<IReadOnlyList<ScorerOutcome>> ScoreAsync(IEnumerable<(IqaSample Sample, string Prompt)> pairs, CancellationToken cancellationToken)
    {
        var requests = pairs.Select(p => new ScorerInput(ImageInput.FromFile(p.Sample.ImagePath, Path.GetFileName(p.Sample.ImagePath)), p.Prompt));
        var results = new List<ScorerOutcome>();
        await foreach (var result in engine.Engine.ScoreAllAsync(requests, cancellationToken).ConfigureAwait(false))
        {
            results.Add(result);
        }

        return results;
    }

    /// <summary>The alignment of every pair, in order, or null for a pair that could not be scored.</summary>
    public async Task<IReadOnlyList<double?>> ScoreAlignmentAsync(IReadOnlyList<(IqaSample Sample, string Prompt)> pairs, CancellationToken cancellationToken)
    {
        var results = await ScoreAsync(pairs, cancellationToken).ConfigureAwait(false);
        return [.. results.Select(r => r.IsSuccess ? (double?)r.Scores!.Alignment : null)];
    }

    public ValueTask DisposeAsync() => engine.DisposeAsync();
}
