using IpIqa.Core.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IpIqa.Worker.Health;

/// <summary>Ready while the transport reaches its queue.</summary>
public sealed class TransportHealthCheck(IJobSource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(source.IsConnected
            ? HealthCheckResult.Healthy($"{source.Name} connected.")
            : HealthCheckResult.Unhealthy($"{source.Name} is not connected."));
}
