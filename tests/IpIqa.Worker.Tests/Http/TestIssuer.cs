using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IpIqa.Worker.Tests.Http;

/// <summary>
/// A loopback OpenID Connect issuer standing in for Entra ID: its discovery document and signing key (RS256) on
/// <c>http://127.0.0.1:PORT/tenant/v2.0</c>, and tokens it signs with that key (or with a key it does not publish).
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly RSA _rsa = RSA.Create(2048); // a key the issuer does not publish
    private readonly RsaSecurityKey _key;
    private readonly WebApplication _app;

    private TestIssuer(WebApplication app, RsaSecurityKey key, string authority)
    {
        _app = app;
        _key = key;
        Authority = authority;
    }

    public string Authority { get; }

    public static async Task<TestIssuer> StartAsync()
    {
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "test-key" };
        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        web.Services.AddRoutingCore();
        var app = web.Build();
        var authority = "";
        var publicKey = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });

        // Mapped before the start; the authority (its port) is known only after it and is read per request.
        app.MapGet("/tenant/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority,
            ["jwks_uri"] = $"{authority}/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/tenant/v2.0/keys", () => Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = publicKey.Kid, n = publicKey.N, e = publicKey.E } } }));
        await app.StartAsync();
        authority = $"{app.Urls.Single()}/tenant/v2.0";
        return new TestIssuer(app, key, authority);
    }

    /// <summary>A token for <paramref name="audience"/> with <paramref name="roles"/>, valid for an hour unless <paramref name="expired"/>.</summary>
    public string Token(string audience, string[] roles, bool expired = false, bool foreignKey = false)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            IssuedAt = expired ? now.AddHours(-2) : now,
            NotBefore = expired ? now.AddHours(-2) : now.AddMinutes(-1),
            Expires = expired ? now.AddHours(-1) : now.AddHours(1),
            Claims = new Dictionary<string, object> { ["roles"] = roles },
            SigningCredentials = new SigningCredentials(foreignKey ? new RsaSecurityKey(_rsa) { KeyId = _key.KeyId } : _key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Rsa.Dispose();
        _rsa.Dispose();
    }
}
