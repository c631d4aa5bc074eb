using System.Net;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Http;

/// <summary>
/// Secure by default: an address other than loopback needs <c>Auth=EntraId</c> or an explicit
/// <c>AllowAnonymous</c>; Entra ID needs an https authority (http only for a loopback authority, as a test issuer
/// is) and an audience.
/// </summary>
public sealed class HttpApiOptionsValidator : IValidateOptions<HttpApiOptions>
{
    public static readonly TimeSpan MinIdleTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromMinutes(2);

    public ValidateOptionsResult Validate(string? name, HttpApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Address, out var address))
        {
            failures.Add($"IpIqa:Http:Address '{options.Address}' is not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every IPv4 interface).");
        }
        else if (!IPAddress.IsLoopback(address) && options.Auth == HttpAuth.None && !options.AllowAnonymous)
        {
            failures.Add($"IpIqa:Http:Address {options.Address} is not loopback and IpIqa:Http:Auth is None: anyone who reaches the port could score. Set IpIqa:Http:Auth=EntraId, or IpIqa:Http:AllowAnonymous=true on a private network.");
        }

        if (options.IdleTimeout < MinIdleTimeout || options.IdleTimeout > MaxIdleTimeout)
        {
            failures.Add($"IpIqa:Http:IdleTimeout {options.IdleTimeout} must be between {MinIdleTimeout} and {MaxIdleTimeout}.");
        }

        if (options.Auth == HttpAuth.EntraId)
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
                || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
            {
                failures.Add($"IpIqa:Http:Authority '{options.Authority}' must be an https URI, such as https://login.microsoftonline.com/TENANT/v2.0.");
            }

            if (string.IsNullOrWhiteSpace(options.Audience))
            {
                failures.Add("IpIqa:Http:Audience is required with IpIqa:Http:Auth=EntraId (the API's application id URI or client id).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
