using IpIqa.Core.Calibration;

namespace IpIqa.Worker.Hosting;

/// <summary>
/// Default thresholds; a request's own thresholds win output by output. Section <c>IpIqa:Thresholds</c>.
/// Each is a raw score (<c>0.42</c>) or a percentile of the bundle's calibration (<c>p20</c>).
/// </summary>
public sealed record ThresholdOptions
{
    public const string SectionName = "IpIqa:Thresholds";

    public string? Quality { get; init; }

    public string? Alignment { get; init; }

    /// <summary>The specs, parsed (null where not set).</summary>
    /// <exception cref="FormatException">A value is neither a number nor <c>pNN</c>.</exception>
    public (ThresholdSpec? Quality, ThresholdSpec? Alignment) Parse() =>
        (Spec(Quality, "Quality"), Spec(Alignment, "Alignment"));

    private static ThresholdSpec? Spec(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? null : ThresholdSpec.Parse(value, $"{SectionName}:{name}");
}
