namespace IpIqa.Rescoring;

/// <summary>
/// A run's outcomes at the top of the report: images scored and passed, rejected by quality only, by
/// alignment only or by both (read from each record's failed checks), and errors (#15).
/// </summary>
internal sealed class VerdictCounts
{
    public long Scored { get; private set; }
    public long Passed { get; private set; }
    public long Quality { get; private set; }
    public long Alignment { get; private set; }
    public long Both { get; private set; }
    public long Errors { get; private set; }

    /// <summary>All rejected images, by either output.</summary>
    public long Rejected => Quality + Alignment + Both;

    /// <summary>The outcome of <paramref name="record"/>: pass, quality, alignment, both, error, or null (neither scored nor failed, e.g. enqueued).</summary>
    public static string? Kind(RescoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Status == RescoreRecord.StatusFailed)
        {
            return "error";
        }

        if (record.Quality is null || record.Alignment is null)
        {
            return null;
        }

        if (record.Verdict != Core.Contracts.Verdict.Fail)
        {
            return "pass";
        }

        var checks = record.FailedChecks ?? "";
        var (quality, alignment) = (checks.Contains("quality", StringComparison.Ordinal), checks.Contains("alignment", StringComparison.Ordinal));
        return quality && alignment ? "both" : alignment ? "alignment" : "quality";
    }

    public void Add(RescoreRecord record)
    {
        switch (Kind(record))
        {
            case "error": Errors++; return;
            case null: return;
            case "pass": Passed++; break;
            case "quality": Quality++; break;
            case "alignment": Alignment++; break;
            default: Both++; break;
        }

        Scored++;
    }
}
