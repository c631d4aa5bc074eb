using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Http;

public static class HttpApiHostExtensions
{
    /// <summary>
    /// Binds and validates <c>IpIqa:Http</c> always (a bad setting fails the start even while the API is off), and
    /// serves the API when <paramref name="enabled"/>: <c>IpIqa:Http:Enabled</c>, or <c>IpIqa:Transport:Kind=Http</c>.
    /// </summary>
    public static IServiceCollection AddIpIqaHttpApi(this IServiceCollection services, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<HttpApiOptions>().BindConfiguration(HttpApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpApiOptions>, HttpApiOptionsValidator>());
        if (enabled)
        {
            services.AddMetrics();
            services.TryAddSingleton<HttpApiMetrics>();
            services.AddHostedService<HttpApiEndpoint>();
        }

        return services;
    }
}
