using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Rescoring;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Rescoring;

/// <summary>Scores items in this process through the same engine, batcher and session as <c>ipiqa score</c>.</summary>
internal sealed class InProcessProcessor(ScoringEngine engine, IRescoreSource source, string modelHash, Thresholds thresholds, long maxBytes) : IRescoreProcessor
{
    private readonly VerdictCalculator _verdicts = new(thresholds);

    public int MaxInFlight => engine.MaxInFlight;

    public string ModelHash => modelHash;

    public async Task<RescoreRecord> ProcessAsync(RescoreItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ImageInput image;
        if (item.LocalPath is { } path)
        {
            image = ImageInput.FromFile(path, item.Key);
        }
        else
        {
            try
            {
                image = ImageInput.FromBytes(item.Key, await source.ReadAsync(item, maxBytes, cancellationToken).ConfigureAwait(false));
            }
            catch (IpIqaException ex)
            {
                return Failed(item, ex.Code, ex.Message);
            }
        }

        var result = await engine.ScoreAsync(new ScoreRequest(image, item.Prompt!), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Failed(item, result.Error.Code, result.Error.Message);
        }

        var verdict = _verdicts.Decide(new Scores(result.Scores.Quality, result.Scores.Alignment));
        return RescoreRecord.For(item, modelHash, RescoreRecord.StatusScored) with
        {
            Quality = result.Scores.Quality,
            Alignment = result.Scores.Alignment,
            Verdict = verdict.Outcome,
            FailedChecks = verdict.Failed.Count == 0 ? null : string.Join(';', verdict.Failed),
        };
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

    private RescoreRecord Failed(RescoreItem item, string code, string message) =>
        RescoreRecord.For(item, modelHash, RescoreRecord.StatusFailed) with { ErrorCode = code, ErrorMessage = message };
}
