using System.Net;
using IpIqa.Core.Batching;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Bundles;
using IpIqa.Worker.Health;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Http;

/// <summary>
/// The scoring API's own Kestrel listener, on <see cref="HttpApiOptions.Address"/>:<see cref="HttpApiOptions.Port"/>,
/// apart from the health listener: scoring requests carry bodies of megabytes and may need a token, while probes
/// need neither and must never wait behind them. <c>POST /v1/score</c>, <c>GET /v1/model</c> and the OpenAPI document
/// at <c>/openapi/v1.json</c>; with <c>Auth=EntraId</c> the first two need a valid bearer token (and a role, when
/// <see cref="HttpApiOptions.Roles"/> names some). It starts once the model is loaded.
/// </summary>
public sealed partial class HttpApiEndpoint(
    IServiceProvider services,
    IOptions<HttpApiOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<HttpApiEndpoint> logger) : IHostedService, IAsyncDisposable
{
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Request bodies read at once, in units of <see cref="HttpApiOptions.MaxBodyBytes"/>.</summary>
    public const int BodyBytesInFlight = 4;
    private const string ScorePolicy = "score";

    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var app = Build(settings);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Listening(logger, settings.Address, settings.Port, settings.Auth.ToString());
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

    private WebApplication Build(HttpApiOptions settings)
    {
        var scoring = services.GetRequiredService<ScoringService>();
        var batching = services.GetRequiredService<IOptions<DynamicBatcherOptions>>().Value;
        var gate = new InFlightGate(settings.MaxItemsInFlight > 0 ? settings.MaxItemsInFlight : 4 * batching.MaxBatchSize);
        var bodies = new InFlightGate(BodyBytesInFlight * settings.MaxBodyBytes);
        var api = new ScoreApi(scoring, gate, bodies, settings, Describe(scoring, settings), loggerFactory.CreateLogger<ScoreApi>());

        // An empty builder: no configuration sources (ASPNETCORE_URLS cannot move the port), no console lifetime.
        var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        web.Services.AddLogging();
        web.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        web.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, QuietHostLifetime>());
        web.Services.AddRoutingCore();
        web.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "IpIqa.Worker scoring API";
            document.Info.Description = "IP-IQA quality and prompt alignment of AI-generated images; see docs/http.md.";
            return Task.CompletedTask;
        }));
        var secured = settings.Auth == HttpAuth.EntraId;
        if (secured)
        {
            web.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
            {
                jwt.Authority = settings.Authority;
                jwt.Audience = settings.Audience;
                jwt.RequireHttpsMetadata = new Uri(settings.Authority!).Scheme == Uri.UriSchemeHttps;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.RoleClaimType = "roles";
            });
            web.Services.AddAuthorizationBuilder().AddPolicy(ScorePolicy, policy =>
            {
                policy.RequireAuthenticatedUser();
                if (settings.Roles.Count > 0)
                {
                    policy.RequireRole(settings.Roles);
                }
            });
        }

        web.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => Configure(kestrel, settings));
        var app = web.Build();
        var metrics = services.GetRequiredService<HttpApiMetrics>();
        app.Use(metrics.MeasureAsync);
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            var (code, message) = ScoreApiProblem.ForStatus(status);
            return ScoreApi.WriteProblemAsync(context.HttpContext.Response, status, code, message);
        });
        if (secured)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        // Delegates, not RequestDelegates, so that the OpenAPI metadata below attaches.
        var score = app.MapPost(ScoreApi.ScorePath, (Delegate)(Func<HttpContext, Task>)api.ScoreAsync)
            .Accepts<ScoreApiRequestDocument>("application/json", "multipart/form-data")
            .Produces<ScoreApiResponseDocument>(StatusCodes.Status200OK)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiError>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        var model = app.MapGet(ScoreApi.ModelPath, (Delegate)(Func<HttpContext, Task>)api.ModelAsync).Produces<ModelDescription>(StatusCodes.Status200OK);
        if (secured)
        {
            score.RequireAuthorization(ScorePolicy);
            model.RequireAuthorization(ScorePolicy);
        }

        app.MapOpenApi(OpenApiPath);
        return app;
    }

    private ModelDescription Describe(ScoringService scoring, HttpApiOptions settings)
    {
        var model = scoring.Model;
        var bundle = services.GetService<ModelBundle>();
        var thresholds = scoring.Options.DefaultThresholds;
        return new ModelDescription(
            model.Name,
            model.Version,
            model.Hash,
            bundle?.Manifest.Input.Resolution ?? 0,
            scoring.Options.Calibration.IsComplete,
            thresholds.Quality,
            thresholds.Alignment,
            settings.MaxItems,
            scoring.Options.MaxImageBytes,
            scoring.Options.MaxPromptBytes);
    }

    private static void Configure(KestrelServerOptions kestrel, HttpApiOptions settings)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = settings.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        // A backstop only: ScoreApi refuses a body over MaxBodyBytes itself, with a body that says why.
        limits.MaxRequestBodySize = settings.MaxBodyBytes + (1 << 20);
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        limits.KeepAliveTimeout = settings.IdleTimeout;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(10));
        // HTTP/1.1 only, as documented: without TLS, HTTP/2 would be prior-knowledge h2c, a second protocol to defend
        // (stream resets, header tables, a hundred streams on each of MaxConnections connections) that no client needs.
        // Kestrel also warned at every start that it would not offer HTTP/2 without TLS.
        kestrel.Listen(IPAddress.Parse(settings.Address), settings.Port, listen => listen.Protocols = HttpProtocols.Http1);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Scoring API on {Address}:{Port} (auth {Auth}): POST /v1/score, GET /v1/model, /openapi/v1.json")]
    private static partial void Listening(ILogger logger, string address, int port, string auth);
}
