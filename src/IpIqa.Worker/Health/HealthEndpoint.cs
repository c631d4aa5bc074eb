using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace IpIqa.Worker.Health;

/// <summary>
/// Kestrel on <see cref="HealthOptions.Address"/>:<see cref="HealthOptions.Port"/>, serving
/// <c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (model loaded, transport
/// connected, device sound): 200 when healthy, 503 otherwise, with a small JSON body naming each
/// check; and <c>/metrics</c>, the <c>IpIqa</c> meter in Prometheus text. The limits suit a probe
/// endpoint: HTTP/1.1 only, small request lines and headers, no body, a short header timeout and a
/// cap on open connections, so slow or abrupt clients cost little and can never stop the worker.
/// </summary>
public sealed partial class HealthEndpoint(
    HealthCheckService health,
    MeterProvider meterProvider,
    IOptions<HealthOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<HealthEndpoint> logger) : IHostedService, IAsyncDisposable
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    public const string MetricsPath = "/metrics";

    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Port == 0)
        {
            return;
        }

        var app = Build(settings);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // The worker keeps scoring; the probes fail, so the orchestrator sees the problem.
            CannotListen(logger, settings.Address, settings.Port, ex);
            await app.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _app = app;
        Listening(logger, settings.Address, settings.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private WebApplication Build(HealthOptions settings)
    {
        // An empty builder: no configuration sources (ASPNETCORE_URLS cannot move the port), no
        // console lifetime; the worker's logger factory and health checks are shared.
        var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        web.Services.AddLogging();
        web.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        web.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, QuietHostLifetime>());
        web.Services.AddRoutingCore();
        web.Services.AddSingleton(health);
        web.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => Configure(kestrel, settings));

        var app = web.Build();
        app.MapHealthChecks(LivePath, Checks(LiveTag));
        app.MapHealthChecks(ReadyPath, Checks(ReadyTag));
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider, configureBranchedPipeline: null, optionsName: null);
        return app;
    }

    private static void Configure(KestrelServerOptions kestrel, HealthOptions settings)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = settings.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.RequestHeadersTimeout = settings.RequestHeadersTimeout;
        limits.KeepAliveTimeout = settings.RequestHeadersTimeout;
        limits.MaxRequestLineSize = 2048;
        limits.MaxRequestHeadersTotalSize = 8192;
        limits.MaxRequestHeaderCount = 32;
        limits.MaxRequestBufferSize = 16384;
        limits.MaxRequestBodySize = 0;
        kestrel.Listen(IPAddress.Parse(settings.Address), settings.Port, listen => listen.Protocols = HttpProtocols.Http1);
    }

    private static HealthCheckOptions Checks(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = HealthResponseWriter.WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Health endpoint on {Address}:{Port}: /healthz/live, /healthz/ready, /metrics")]
    private static partial void Listening(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Health endpoint cannot listen on {Address}:{Port} (IpIqa:Health:Address, IpIqa:Health:Port)")]
    private static partial void CannotListen(ILogger logger, string address, int port, Exception exception);
}
