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

    /// <summary>
    /// The columns a file adds after <see cref="Columns"/> where explanations were asked for (<c>ipiqa score --explain</c>,
    /// <c>ipiqa rescore --explain N</c>): the overlay's and the raw map's path or URI, the words the image does not
    /// support (joined with <c>;</c>), and why an explanation was refused. Empty where a result has none.
    /// </summary>
    public static IReadOnlyList<ResultColumn<ScoringResult>> ExplanationColumns { get; } =
    [
        ResultColumn<ScoringResult>.OfText("explanation_overlay", r => r.Explanation?.Overlay),
        ResultColumn<ScoringResult>.OfText("explanation_attention", r => r.Explanation?.Attention),
        ResultColumn<ScoringResult>.OfText("unsupported_words", r => r.Explanation?.Words is null ? null : string.Join(';', r.Explanation.UnsupportedWords)),
        ResultColumn<ScoringResult>.OfText("explanation_error", r => r.Explanation?.Error?.Code),
    ];

    /// <summary><see cref="Columns"/>, and <see cref="ExplanationColumns"/> when <paramref name="explain"/>.</summary>
    public static IReadOnlyList<ResultColumn<ScoringResult>> For(bool explain) => explain ? [.. Columns, .. ExplanationColumns] : Columns;
}
