using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Health;

/// <summary>
/// A minimal <see cref="HttpListener"/> (no ASP.NET Core) serving <c>/healthz/live</c> (the process
/// answers) and <c>/healthz/ready</c> (model loaded, transport connected) on <see cref="HealthOptions.Port"/>:
/// 200 when healthy, 503 otherwise, with a small JSON body naming each check.
/// </summary>
public sealed partial class HealthEndpoint(HealthCheckService health, IOptions<HealthOptions> options, ILogger<HealthEndpoint> logger) : BackgroundService
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = options.Value.Port;
        if (port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://+:{port}/healthz/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            CannotListen(logger, port, ex);
            return;
        }

        Listening(logger, port);
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await AnswerAsync(context, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        var path = context.Request.Url?.AbsolutePath.TrimEnd('/');
        var tag = path switch
        {
            "/healthz/live" => LiveTag,
            "/healthz/ready" => ReadyTag,
            _ => null,
        };
        if (tag is null)
        {
            response.StatusCode = 404;
            return;
        }

        var report = await health.CheckHealthAsync(c => c.Tags.Contains(tag), cancellationToken).ConfigureAwait(false);
        response.StatusCode = report.Status == HealthStatus.Healthy ? 200 : 503;
        response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, string>(report.Entries.Select(e => KeyValuePair.Create(e.Key, $"{e.Value.Status}: {e.Value.Description}")))
            {
                ["status"] = report.Status.ToString(),
            },
            HealthJsonContext.Default.DictionaryStringString);
        await response.OutputStream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Health endpoint on port {Port}: /healthz/live, /healthz/ready")]
    private static partial void Listening(ILogger logger, int port);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Health endpoint cannot listen on port {Port} (IpIqa:Health:Port)")]
    private static partial void CannotListen(ILogger logger, int port, Exception exception);
}
