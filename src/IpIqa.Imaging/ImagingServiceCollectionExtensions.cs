using IpIqa.Core.Imaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IpIqa.Imaging;

public static class ImagingServiceCollectionExtensions
{
    /// <summary>Registers the singleton <see cref="IImagePreprocessor"/> with options validated at start.</summary>
    public static IServiceCollection AddIpIqaImaging(this IServiceCollection services, Action<ImagingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ImagingOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImagingOptions>, ImagingOptionsValidator>());
        services.TryAddSingleton<IImagePreprocessor>(sp => new ImagePreprocessor(
            sp.GetRequiredService<IOptions<ImagingOptions>>().Value,
            sp.GetService<ILogger<ImagePreprocessor>>() ?? NullLogger<ImagePreprocessor>.Instance));
        return services;
    }
}
