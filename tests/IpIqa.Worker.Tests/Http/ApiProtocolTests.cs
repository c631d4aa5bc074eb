using System.Net;

namespace IpIqa.Worker.Tests.Http;

/// <summary>
/// The API speaks HTTP/1.1 only, as http.md and security.md say. It used to accept cleartext HTTP/2 with prior
/// knowledge (h2c): a second protocol with its own attack surface (stream resets, header tables), and a hundred
/// streams on each of <c>MaxConnections</c> connections.
/// </summary>
public sealed class ApiProtocolTests
{
    [Fact]
    public async Task A_cleartext_HTTP2_request_with_prior_knowledge_gets_no_HTTP2_answer()
    {
        await using var api = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/model", UriKind.Relative))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        Version? answered = null;
        try
        {
            using var response = await api.Client.SendAsync(request);
            answered = response.Version;
        }
        catch (HttpRequestException)
        {
            // The HTTP/1.1 server does not understand the HTTP/2 preface and ends the connection.
        }

        Assert.NotEqual(HttpVersion.Version20, answered);
    }

    [Fact]
    public async Task An_HTTP11_request_is_answered()
    {
        await using var api = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/model", UriKind.Relative)) { Version = HttpVersion.Version11 };

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }
}
