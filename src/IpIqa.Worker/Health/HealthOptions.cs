using System.ComponentModel.DataAnnotations;

namespace IpIqa.Worker.Health;

/// <summary>The health and metrics endpoint (Kestrel). Section <c>IpIqa:Health</c>; checked by <see cref="HealthOptionsValidator"/>.</summary>
public sealed record HealthOptions
{
    public const string SectionName = "IpIqa:Health";

    /// <summary>
    /// The default bind address: every IPv4 interface. Kubernetes and Container Apps probe the pod's
    /// own IP, so a loopback bind would fail every probe; the port is reachable by whatever can reach
    /// the pod, which the network policy (or the Container App's ingress being off) limits.
    /// </summary>
    public const string DefaultAddress = "0.0.0.0";

    /// <summary>Port of <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/metrics</c>; 0 turns the endpoint off.</summary>
    [Range(0, 65535, ErrorMessage = "IpIqa:Health:Port must be between 0 and 65535.")]
    public int Port { get; init; } = 8080;

    /// <summary>The IP address to bind: <c>0.0.0.0</c> (every IPv4 interface), <c>::</c> (IPv6 and IPv4), or one interface such as <c>127.0.0.1</c>.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>Time a client has to send its request headers (and an idle keep-alive connection is kept): a slow or silent client is dropped after it.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open connections at most; more are refused until some close.</summary>
    [Range(1, 10_000, ErrorMessage = "IpIqa:Health:MaxConnections must be between 1 and 10000.")]
    public int MaxConnections { get; init; } = 100;
}
