using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Scores one (image, prompt) pair through the model's dynamic batcher, so that many jobs in
/// flight share batches. An item failure (undecodable image, model failure) comes back as
/// <see cref="ScorerOutcome.Error"/>. Only cancellation and a device fault (<see cref="DeviceFaultException"/>:
/// the scorer, not the item, failed) throw.
/// </summary>
public interface IImageScorer
{
    /// <summary>The loaded model (bundle name, version, hash).</summary>
    ModelInfo Model { get; }

    Task<ScorerOutcome> ScoreAsync(ScorerInput input, CancellationToken cancellationToken);
}
