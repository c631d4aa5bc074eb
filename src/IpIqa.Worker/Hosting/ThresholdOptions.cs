using IpIqa.Core.Contracts;

namespace IpIqa.Worker.Hosting;

/// <summary>Default thresholds; a request's own thresholds win output by output. Section <c>IpIqa:Thresholds</c>.</summary>
public sealed record ThresholdOptions
{
    public const string SectionName = "IpIqa:Thresholds";

    public double? Quality { get; init; }

    public double? Alignment { get; init; }

    public Thresholds ToThresholds() => new(Quality, Alignment);
}
