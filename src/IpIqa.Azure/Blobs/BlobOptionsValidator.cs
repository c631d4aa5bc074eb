using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Blobs;

/// <summary>Rules of <see cref="BlobOptions"/> once blob images or tags are in use, with messages that name the keys.</summary>
public sealed class BlobOptionsValidator : IValidateOptions<BlobOptions>
{
    public ValidateOptionsResult Validate(string? name, BlobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AllowedAccounts.Count == 0)
        {
            failures.Add("IpIqa:Blob:AllowedAccounts is empty: list the storage accounts images may come from (IpIqa:Blob:AllowedAccounts:0=ACCOUNT).");
        }

        if (options.ServiceUri is { IsAbsoluteUri: false })
        {
            failures.Add($"IpIqa:Blob:ServiceUri must be an absolute URI; it is '{options.ServiceUri}'.");
        }

        if (options.ServiceUri is { IsAbsoluteUri: true } serviceUri && serviceUri.Scheme != Uri.UriSchemeHttps && !options.UsesConnectionString)
        {
            failures.Add($"IpIqa:Blob:ServiceUri must use https: the token credential is never sent over {serviceUri.Scheme} ('{serviceUri}').");
        }

        foreach (var account in options.AllowedAccounts.Where(string.IsNullOrWhiteSpace))
        {
            failures.Add($"IpIqa:Blob:AllowedAccounts has an empty entry ('{account}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
