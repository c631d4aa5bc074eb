using IpIqa.Core.Jobs;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Http;
using Microsoft.Extensions.Configuration;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>The scoring API's settings as a deployment's environment gives them, bound and checked the way the worker starts.</summary>
internal static class DeployedHttpApi
{
    /// <summary>
    /// Binds <c>IpIqa:Http</c> and <c>IpIqa:Transport</c> from environment variables (<c>__</c> is <c>:</c>, as the
    /// environment configuration provider reads them) and asserts that the worker's own validator accepts them.
    /// </summary>
    public static (HttpApiOptions Options, TransportKind Transport) Bind(string definition, IEnumerable<(string Name, string? Value)> environment)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(v => KeyValuePair.Create(v.Name.Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build();
        var options = configuration.GetSection(HttpApiOptions.SectionName).Get<HttpApiOptions>() ?? new HttpApiOptions();
        var transport = configuration.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();

        var validation = new HttpApiOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, $"{definition}: the worker would refuse to start: {validation.FailureMessage}");
        return (options, transport.Kind);
    }

    /// <summary>What every deployed API must be: served alone, on every interface, Entra ID tokens only.</summary>
    public static void AssertServedAloneWithEntraId(string definition, HttpApiOptions options, TransportKind transport)
    {
        Assert.True(transport == TransportKind.Http, $"{definition}: IpIqa:Transport:Kind is {transport}; the API pods must read no queue");
        Assert.True(options.Auth == HttpAuth.EntraId, $"{definition}: IpIqa:Http:Auth is {options.Auth}; a reachable API must require Entra ID tokens");
        Assert.False(options.AllowAnonymous, $"{definition}: IpIqa:Http:AllowAnonymous must never be set where the API is reachable");
        Assert.Equal("0.0.0.0", options.Address);
    }
}
