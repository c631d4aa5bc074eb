using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IpIqa.Worker.Health;

/// <summary>The probe body: <c>{"status": "Healthy", "CHECK": "STATUS: DESCRIPTION", ...}</c>, one entry per check.</summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, string>(report.Entries.Select(e => KeyValuePair.Create(e.Key, $"{e.Value.Status}: {e.Value.Description}")))
            {
                ["status"] = report.Status.ToString(),
            },
            HealthJsonContext.Default.DictionaryStringString);
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
