using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// Headless Chromium driven over the DevTools protocol on loopback, for a page whose state settles asynchronously
/// (an image's <c>decode()</c>): the DOM is read when the page itself says it is ready, not after a time budget.
/// </summary>
internal sealed class ChromiumDevTools(Process process, ClientWebSocket socket) : IAsyncDisposable
{
    private const string Listening = "DevTools listening on ";
    private readonly List<JsonNode> _received = [];
    private int _lastId;

    /// <summary>
    /// Loads <paramref name="html"/>, waits for its load event and then until the JavaScript <paramref name="ready"/>
    /// is true (checked every 20 ms), and returns the document's HTML. The only time limit is <paramref name="timeout"/>,
    /// a guard against a page that never becomes ready: it fails the test with a <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task<string> DumpDomWhenAsync(string html, string ready, string profile, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await using var chromium = await StartAsync(profile, cancel.Token);
            return await chromium.DumpDomAsync(new Uri(html).AbsoluteUri, ready, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"The page did not become ready ({ready}) in {timeout}.");
        }
    }

    private static async Task<ChromiumDevTools> StartAsync(string profile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Chromium.Executable ?? throw new InvalidOperationException("Chromium is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Chromium.CommonArguments(profile).Append("--remote-debugging-port=0").Append("about:blank"))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        try
        {
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            string? endpoint = null;
            while (endpoint is null && await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
            {
                endpoint = line.StartsWith(Listening, StringComparison.Ordinal) ? line[Listening.Length..].Trim() : null;
            }

            var uri = new Uri(endpoint ?? throw new InvalidOperationException($"Chromium exited before it listened (exit code {process.ExitCode})."));
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(uri, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return new ChromiumDevTools(process, socket);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private async Task<string> DumpDomAsync(string url, string ready, CancellationToken cancellationToken)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellationToken);
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null, cancellationToken);
        var session = attached["sessionId"]!.GetValue<string>();
        await SendAsync("Page.enable", [], session, cancellationToken);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, session, cancellationToken);
        await ReceiveAsync(m => (string?)m["method"] == "Page.loadEventFired" && (string?)m["sessionId"] == session, cancellationToken);

        var expression = $$"""
            new Promise(function (done) {
              (function poll() { if ({{ready}}) { done(document.documentElement.outerHTML); } else { setTimeout(poll, 20); } })();
            })
            """;
        var evaluated = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true }, session, cancellationToken);
        return evaluated["exceptionDetails"] is { } exception
            ? throw new InvalidOperationException($"The page's script failed: {exception.ToJsonString()}")
            : evaluated["result"]!["value"]!.GetValue<string>();
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session, CancellationToken cancellationToken)
    {
        var id = ++_lastId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var reply = await ReceiveAsync(m => (int?)m["id"] == id, cancellationToken);
        return reply["error"] is { } error
            ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}")
            : reply["result"]!;
    }

    /// <summary>The first message (reply or event) that <paramref name="match"/> accepts, whether it came before this call or comes now.</summary>
    private async Task<JsonNode> ReceiveAsync(Func<JsonNode, bool> match, CancellationToken cancellationToken)
    {
        var seen = 0;
        while (true)
        {
            for (; seen < _received.Count; seen++)
            {
                if (match(_received[seen]))
                {
                    var found = _received[seen];
                    _received.RemoveAt(seen);
                    return found;
                }
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(chunk, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("Chromium closed the DevTools connection.");
                }

                buffer.Write(chunk, 0, result.Count);
            }
            while (!result.EndOfMessage);

            _received.Add(JsonNode.Parse(buffer.ToArray())!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        socket.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
    }
}
