using Microsoft.Extensions.Options;

namespace IpIqa.Azure.ServiceBus;

/// <summary>Cross-field rules of <see cref="ServiceBusOptions"/>, with messages that name the keys.</summary>
public sealed class ServiceBusOptionsValidator : IValidateOptions<ServiceBusOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace) && !options.UsesConnectionString)
        {
            failures.Add("IpIqa:Transport:Kind=ServiceBus requires IpIqa:ServiceBus:FullyQualifiedNamespace or IpIqa:ServiceBus:ConnectionString.");
        }

        if (!string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace) && options.FullyQualifiedNamespace.Contains("://", StringComparison.Ordinal))
        {
            failures.Add($"IpIqa:ServiceBus:FullyQualifiedNamespace must be a host name such as NAME.servicebus.windows.net, not a URI ('{options.FullyQualifiedNamespace}').");
        }

        if (options.MaxLockRenewalDuration < TimeSpan.Zero || options.MaxLockRenewalDuration > TimeSpan.FromHours(24))
        {
            failures.Add($"IpIqa:ServiceBus:MaxLockRenewalDuration must be between 00:00:00 and 1.00:00:00; it is {options.MaxLockRenewalDuration}.");
        }

        if (options.PrefetchCount > options.MessagesToHold * 4)
        {
            failures.Add($"IpIqa:ServiceBus:PrefetchCount ({options.PrefetchCount}) is more than four times IpIqa:ServiceBus:MaxConcurrentMessages ({options.MessagesToHold}); prefetched messages' locks expire while they wait.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
