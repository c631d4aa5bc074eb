using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Scores one (image, prompt) pair through the model's dynamic batcher, so that many jobs in
/// flight share batches. An item failure (undecodable image, model failure) comes back as
/// <see cref="ScorerOutcome.Error"/>; only cancellation throws.
/// </summary>
public interface IImageScorer
{
    /// <summary>The loaded model (bundle name, version, hash).</summary>
    ModelInfo Model { get; }

    Task<ScorerOutcome> ScoreAsync(ScorerInput input, CancellationToken cancellationToken);
}
