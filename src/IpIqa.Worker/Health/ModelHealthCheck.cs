using IpIqa.Worker.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IpIqa.Worker.Health;

/// <summary>Ready once the model bundle is loaded.</summary>
public sealed class ModelHealthCheck(WorkerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.ModelLoaded
            ? HealthCheckResult.Healthy("Model loaded.")
            : HealthCheckResult.Unhealthy(state.Failure ?? "The model is not loaded yet."));
}
