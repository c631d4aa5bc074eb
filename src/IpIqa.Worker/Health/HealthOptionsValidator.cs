using System.Net;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Health;

/// <summary>The bind address must be an IP address and the header timeout between 1 second and 1 minute.</summary>
public sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public static readonly TimeSpan MinHeadersTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxHeadersTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add($"IpIqa:Health:Address '{options.Address}' is not an IP address (use 0.0.0.0 for every IPv4 interface, :: for IPv6 and IPv4, or 127.0.0.1 for this machine only).");
        }

        if (options.RequestHeadersTimeout < MinHeadersTimeout || options.RequestHeadersTimeout > MaxHeadersTimeout)
        {
            failures.Add($"IpIqa:Health:RequestHeadersTimeout {options.RequestHeadersTimeout} must be between {MinHeadersTimeout} and {MaxHeadersTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
