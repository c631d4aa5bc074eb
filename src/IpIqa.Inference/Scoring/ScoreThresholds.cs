namespace IpIqa.Inference.Scoring;

/// <summary>Lowest acceptable scores; a null threshold is not checked.</summary>
public sealed record ScoreThresholds(double? Quality, double? Alignment)
{
    public static ScoreThresholds None { get; } = new(null, null);

    public bool IsEmpty => Quality is null && Alignment is null;
}
