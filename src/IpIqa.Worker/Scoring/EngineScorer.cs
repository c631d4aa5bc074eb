using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Scoring;

namespace IpIqa.Worker.Scoring;

/// <summary>
/// The <see cref="IImageScorer"/> port on the <see cref="ScoringEngine"/>: every job in flight
/// enqueues into the engine's dynamic batcher, so concurrent messages share model batches, and a
/// bad image fails only its own item. A device fault throws <see cref="DeviceFaultException"/>: the job is not at fault.
/// </summary>
public sealed class EngineScorer(ScoringEngine engine) : IImageScorer
{
    public ModelInfo Model { get; } = engine.Model.ToModelInfo();

    public async Task<ScorerOutcome> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scored = await engine.ScoreAsync(new ScoreRequest(ImageInput.FromBytes(input.Name, input.Image), input.Prompt), cancellationToken).ConfigureAwait(false);
        var timings = scored.Timings;
        if (scored.Error is { Code: ErrorCodes.DeviceFault } fault)
        {
            throw new DeviceFaultException(fault.Message);
        }

        if (!scored.IsSuccess)
        {
            var error = scored.Error ?? new ScoreError(ErrorCodes.ScoringFailed, "The engine returned neither scores nor an error.");
            return new ScorerOutcome(null, new ResultError(error.Code, error.Message), timings.Preprocess, timings.Inference, timings.BatchSize);
        }

        return new ScorerOutcome(new Scores(scored.Scores.Quality, scored.Scores.Alignment), null, timings.Preprocess, timings.Inference, timings.BatchSize);
    }
}
