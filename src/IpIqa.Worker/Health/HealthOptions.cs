using System.ComponentModel.DataAnnotations;

namespace IpIqa.Worker.Health;

/// <summary>The health endpoint. Section <c>IpIqa:Health</c>.</summary>
public sealed record HealthOptions
{
    public const string SectionName = "IpIqa:Health";

    /// <summary>Port of <c>/healthz/live</c> and <c>/healthz/ready</c>; 0 turns the endpoint off.</summary>
    [Range(0, 65535, ErrorMessage = "IpIqa:Health:Port must be between 0 and 65535.")]
    public int Port { get; init; } = 8080;
}
