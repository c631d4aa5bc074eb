using IpIqa.Inference;
using IpIqa.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Health;

/// <summary>Registers the health checks (live: the process; ready: model, transport, device) and the endpoint that serves them with the metrics.</summary>
public static class HealthHostExtensions
{
    public static IServiceCollection AddIpIqaHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>());
        services.TryAddSingleton<WorkerState>();
        services.TryAddSingleton<DeviceHealth>(sp => new DeviceHealth(sp.GetService<TimeProvider>()));
        services.AddHealthChecks()
            .AddCheck("alive", () => HealthCheckResult.Healthy("The process answers."), [HealthEndpoint.LiveTag])
            .AddCheck<ModelHealthCheck>("model", tags: [HealthEndpoint.ReadyTag])
            .AddCheck<TransportHealthCheck>("transport", tags: [HealthEndpoint.ReadyTag])
            .AddCheck<DeviceHealthCheck>("device", tags: [HealthEndpoint.ReadyTag]);
        services.AddHostedService<HealthEndpoint>();
        return services;
    }
}
