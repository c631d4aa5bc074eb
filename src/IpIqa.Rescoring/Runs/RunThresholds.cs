using System.Text.Json.Serialization;
using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>The thresholds in force in a run, as its <c>run.json</c> records them (an output without one: absent).</summary>
public sealed record RunThresholds(
    [property: JsonPropertyName("quality")] double? Quality,
    [property: JsonPropertyName("alignment")] double? Alignment)
{
    public static RunThresholds Of(Thresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return new RunThresholds(thresholds.Quality, thresholds.Alignment);
    }

    public Thresholds ToThresholds() => new(Quality, Alignment);
}
