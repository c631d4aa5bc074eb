using IpIqa.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IpIqa.Worker.Health;

/// <summary>Ready while the model's device is sound: a device fault makes the worker not ready until a batch succeeds again.</summary>
public sealed class DeviceHealthCheck(DeviceHealth device) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(device.LastFault is { } fault
            ? HealthCheckResult.Unhealthy($"Device fault: {fault}")
            : HealthCheckResult.Healthy("No device fault since the last successful batch."));
}
