using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Scoring;

namespace IpIqa.Rescoring;

/// <summary>
/// Scores items in this process through the one <see cref="ScoringService"/> (fetch, prompt, engine, verdict),
/// as the worker and <c>ipiqa score</c> do; <paramref name="images"/> serves each item's bytes while it is scored.
/// </summary>
internal sealed class InProcessProcessor(ScoringService scoring, RescoreImageSource images, string modelHash, int maxInFlight) : IRescoreProcessor
{
    private readonly VerdictCalculator _verdicts = new(scoring.Options.DefaultThresholds);

    public int MaxInFlight => maxInFlight;

    /// <summary>The processor over <paramref name="loaded"/>: one <see cref="ScoringService"/> reading <paramref name="source"/>'s items.</summary>
    public static InProcessProcessor Create(LoadedScoringEngine loaded, IRescoreSource source, string modelHash, RescoreSettings settings, Thresholds thresholds, ScoreCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(settings);
        var images = new RescoreImageSource(source);
        var options = new ScoringOptions { MaxImageBytes = settings.MaxImageBytes, MaxPromptBytes = settings.MaxPromptBytes, DefaultThresholds = thresholds, Calibration = calibration };
        var scoring = new ScoringService(loaded.Engine, [images], options, new JobMetrics(), TimeProvider.System);
        return new InProcessProcessor(scoring, images, modelHash, loaded.Engine.MaxInFlight);
    }

    public string ModelHash => modelHash;

    public async Task<RescoreRecord> ProcessAsync(RescoreItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        using (images.Pending(item))
        {
            var request = new ScoringRequest(item.Key, RescoreImageSource.ReferenceOf(item), item.Prompt);
            var result = await scoring.ScoreAsync(request, cancellationToken).ConfigureAwait(false);
            return RescoreRecord.From(item, modelHash, result);
        }
    }

    /// <summary>Done only when a previous run scored the item (an item a previous run only enqueued has no scores here).</summary>
    public bool IsDone(RescoreRecord earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return earlier.Status == RescoreRecord.StatusScored;
    }

    public RescoreRecord CarryForward(RescoreRecord earlier, RescoreItem item)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(item);
        var verdict = _verdicts.Decide(new Scores(earlier.Quality ?? double.NaN, earlier.Alignment ?? double.NaN));
        return earlier with
        {
            Location = item.Location,
            Skipped = true,
            Verdict = verdict.Outcome,
            FailedChecks = verdict.Failed.Count == 0 ? null : string.Join(';', verdict.Failed),
        };
    }
}
