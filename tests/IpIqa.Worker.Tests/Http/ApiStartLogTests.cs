using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.Http;

/// <summary>The scoring API starts without a warning: an operator who sees one at every start learns to ignore warnings.</summary>
public sealed class ApiStartLogTests
{
    [Fact]
    public async Task The_api_starts_and_answers_without_logging_a_warning()
    {
        var log = new CapturingLoggerProvider();
        await using (var api = await ApiHost.StartAsync(configure: services => services.AddSingleton<ILoggerProvider>(log)))
        {
            using var response = await api.Client.GetAsync(new Uri("/v1/model", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        }

        Assert.Contains(log.Lines, line => line.Contains("Scoring API on 127.0.0.1:", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, line => line.StartsWith(nameof(LogLevel.Warning), StringComparison.Ordinal));
    }
}
