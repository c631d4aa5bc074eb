using System.ComponentModel.DataAnnotations;

namespace IpIqa.Worker.Http;

/// <summary>Section <c>IpIqa:Http</c>: the synchronous scoring API (<c>POST /v1/score</c>, <c>GET /v1/model</c>).</summary>
public sealed record HttpApiOptions
{
    public const string SectionName = "IpIqa:Http";

    /// <summary>Serve the API beside the queue transport; <c>IpIqa:Transport:Kind=Http</c> serves it alone.</summary>
    public bool Enabled { get; init; }

    /// <summary>Bind address. Loopback by default: any other address needs <see cref="Auth"/> or <see cref="AllowAnonymous"/>.</summary>
    public string Address { get; init; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; init; } = 8081;

    /// <summary><c>None</c>, or <c>EntraId</c>: a JWT bearer token of <see cref="Authority"/> for <see cref="Audience"/>.</summary>
    public HttpAuth Auth { get; init; } = HttpAuth.None;

    /// <summary>With <c>Auth=EntraId</c>: the token issuer, such as <c>https://login.microsoftonline.com/TENANT/v2.0</c>.</summary>
    public string? Authority { get; init; }

    /// <summary>With <c>Auth=EntraId</c>: the audience the token must name (the API's application id URI or client id).</summary>
    public string? Audience { get; init; }

    /// <summary>With <c>Auth=EntraId</c>: app roles of which the token must carry at least one; empty accepts any valid token.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Serve a non-loopback address without authentication: only for a private network that controls who reaches the port.</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>Largest request body, in bytes (JSON with base64 images, or multipart).</summary>
    [Range(1024, 1L << 31)]
    public long MaxBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most items in one request.</summary>
    [Range(1, 1024)]
    public int MaxItems { get; init; } = 64;

    /// <summary>
    /// Items being scored at once, over all requests; a request that would pass it gets 429 with <c>Retry-After</c>.
    /// 0 (the default) derives it from the batcher: four full batches.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxItemsInFlight { get; init; }

    /// <summary>Open connections at most.</summary>
    [Range(1, 100_000)]
    public int MaxConnections { get; init; } = 1000;

    /// <summary>
    /// How long a connection may wait for a request, the first one included (Kestrel's keep-alive timeout; 1 s to 2 min).
    /// Its default of 2 minutes let <see cref="MaxConnections"/> silent sockets hold every slot before any token was seen.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>How the scoring API authenticates callers.</summary>
public enum HttpAuth
{
    /// <summary>No authentication: loopback only, unless <see cref="HttpApiOptions.AllowAnonymous"/>.</summary>
    None,

    /// <summary>Microsoft Entra ID: a JWT bearer token checked for issuer, audience, lifetime and signature.</summary>
    EntraId,
}
