using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace IpIqa.Worker.Tests.Http;

/// <summary>
/// <c>IpIqa:Http:Auth=EntraId</c> against a loopback issuer: a token is accepted only when its issuer, audience,
/// lifetime, signature and role all hold (#13).
/// </summary>
public sealed class EntraIdAuthTests
{
    private const string Audience = "api://ipiqa";
    private static readonly object OneItem = new { items = new[] { new { image = new { base64 = "AQID" }, prompt = "a red fox" } } };

    [Fact]
    public async Task Only_a_valid_token_with_a_required_role_may_score()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var api = await ApiHost.StartAsync(new()
        {
            ["IpIqa:Http:Auth"] = "EntraId",
            ["IpIqa:Http:Authority"] = issuer.Authority,
            ["IpIqa:Http:Audience"] = Audience,
            ["IpIqa:Http:Roles:0"] = "Scorer",
        });

        var (ok, why) = await SendAsync(api, issuer.Token(Audience, ["Reader", "Scorer"]));
        Assert.True(ok == HttpStatusCode.OK, $"{ok}: {why}");
        Assert.Equal(HttpStatusCode.Forbidden, await ScoreAsync(api, issuer.Token(Audience, ["Reader"])));
        Assert.Equal(HttpStatusCode.Unauthorized, await ScoreAsync(api, issuer.Token("api://another-api", ["Scorer"])));
        Assert.Equal(HttpStatusCode.Unauthorized, await ScoreAsync(api, issuer.Token(Audience, ["Scorer"], expired: true)));
        Assert.Equal(HttpStatusCode.Unauthorized, await ScoreAsync(api, issuer.Token(Audience, ["Scorer"], foreignKey: true)));
        Assert.Equal(HttpStatusCode.Unauthorized, await ScoreAsync(api, "not.a.token"));
    }

    private static async Task<HttpStatusCode> ScoreAsync(ApiHost api, string token) => (await SendAsync(api, token)).Status;

    /// <summary>The status, and why a token was refused (the WWW-Authenticate header).</summary>
    private static async Task<(HttpStatusCode Status, string Why)> SendAsync(ApiHost api, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/score") { Content = JsonContent.Create(OneItem) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.Client.SendAsync(request);
        return (response.StatusCode, response.Headers.WwwAuthenticate.ToString());
    }
}
