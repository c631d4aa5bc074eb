namespace IpIqa.Core.Contracts;

/// <summary>
/// The tabular form of <see cref="ScoringResult"/>: the columns every CSV and Parquet result file starts
/// with, whichever front door wrote it (<c>ipiqa score</c>, <c>ipiqa rescore</c>). Empty where a result has
/// no value: an error result has no scores, an uncalibrated bundle no percentiles.
/// </summary>
public static class ResultTable
{
    public static IReadOnlyList<ResultColumn<ScoringResult>> Columns { get; } =
    [
        ResultColumn<ScoringResult>.OfText("job_id", r => r.JobId),
        ResultColumn<ScoringResult>.OfText("image", r => r.Image?.Uri ?? r.Image?.Path),
        ResultColumn<ScoringResult>.OfText("prompt", r => r.Prompt),
        ResultColumn<ScoringResult>.OfNumber("quality", r => r.Scores?.Quality),
        ResultColumn<ScoringResult>.OfNumber("alignment", r => r.Scores?.Alignment),
        ResultColumn<ScoringResult>.OfNumber("quality_percentile", r => r.Percentiles?.Quality),
        ResultColumn<ScoringResult>.OfNumber("alignment_percentile", r => r.Percentiles?.Alignment),
        ResultColumn<ScoringResult>.OfText("verdict", r => r.Verdict?.Outcome),
        ResultColumn<ScoringResult>.OfFlag("passed", r => r.Verdict?.Passed),
        ResultColumn<ScoringResult>.OfText("failed_checks", r => r.Verdict is { } verdict ? string.Join(';', verdict.Failed) : null),
        ResultColumn<ScoringResult>.OfText("error_code", r => r.Error?.Code),
        ResultColumn<ScoringResult>.OfText("error_message", r => r.Error?.Message),
        ResultColumn<ScoringResult>.OfText("model_name", r => r.Model?.Name),
        ResultColumn<ScoringResult>.OfText("model_version", r => r.Model?.Version),
        ResultColumn<ScoringResult>.OfText("model_hash", r => r.Model?.Hash),
        ResultColumn<ScoringResult>.OfText("correlation_id", r => r.CorrelationId),
    ];
}
