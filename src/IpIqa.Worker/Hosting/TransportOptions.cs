using IpIqa.Core.Jobs;

namespace IpIqa.Worker.Hosting;

/// <summary>Section <c>IpIqa:Transport</c>.</summary>
public sealed record TransportOptions
{
    public const string SectionName = "IpIqa:Transport";

    public TransportKind Kind { get; init; } = TransportKind.Local;
}
