using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// What the <see cref="ScoringService"/> applies to every request, whichever front door it came
/// through: the worker fills it from <c>IpIqa:*</c>, <c>ipiqa score</c> and <c>ipiqa rescore</c> from
/// their options and the bundle.
/// </summary>
public sealed record ScoringOptions
{
    /// <summary>Largest image accepted, in bytes (checked before the download where the store tells the size).</summary>
    public long MaxImageBytes { get; init; } = Imaging.ImageLimits.Default.MaxBytes;

    /// <summary>
    /// Longest prompt accepted, in UTF-8 bytes: a request's, and a blob event's metadata prompt. The worker takes it from
    /// <c>IpIqa:Model:MaxPromptBytes</c>, the limit the scoring engine applies.
    /// </summary>
    public int MaxPromptBytes { get; init; } = RequestLimits.DefaultMaxPromptBytes;

    /// <summary>Thresholds used where a request gives none.</summary>
    public Thresholds DefaultThresholds { get; init; } = Thresholds.None;

    /// <summary>The bundle's calibration: scored results carry percentiles when it covers both outputs.</summary>
    public ScoreCalibration Calibration { get; init; } = ScoreCalibration.None;

    /// <summary>
    /// Most prompt words a request may have its words attributed for (<c>"explain": {"words": true}</c>; the worker's
    /// <c>IpIqa:Sinks:Explain:MaxWords</c>): each word costs one more model run. A longer prompt gets its overlay and
    /// map, and <see cref="ExplainCodes.TooManyWords"/> instead of words.
    /// </summary>
    public int MaxExplainWords { get; init; } = DefaultMaxExplainWords;

    public const int DefaultMaxExplainWords = 32;

    /// <summary>The image metadata key that holds the prompt of a job made from a blob event (<c>IpIqa:Events:PromptMetadataKey</c>).</summary>
    public string PromptMetadataKey { get; init; } = PromptMetadata.DefaultKey;
}
