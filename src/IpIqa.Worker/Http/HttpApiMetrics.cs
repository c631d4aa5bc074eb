using System.Diagnostics;
using System.Diagnostics.Metrics;
using IpIqa.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IpIqa.Worker.Http;

/// <summary>
/// The scoring API's requests on the <c>IpIqa</c> meter, so <c>/metrics</c> and OTLP carry them beside
/// the job series: <c>ipiqa.http.requests</c> and <c>ipiqa.http.request.duration</c> (ms), each by
/// route (the endpoint's pattern, or <c>unmatched</c>: never the raw path, whose values a caller
/// chooses), method and status code. Refusals before the handler (401, 403, 413 from Kestrel) count too.
/// </summary>
public sealed class HttpApiMetrics
{
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public HttpApiMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(JobMetrics.Name);
        _requests = meter.CreateCounter<long>("ipiqa.http.requests", description: "Scoring API requests answered, by route, method and status code.");
        _duration = meter.CreateHistogram<double>("ipiqa.http.request.duration", unit: "ms", description: "Scoring API request time, from the first byte read to the response, by route, method and status code.");
    }

    /// <summary>The middleware that measures every request; it goes first in the pipeline.</summary>
    public async Task MeasureAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var tags = new TagList
            {
                { "route", route },
                { "method", HttpMethods.GetCanonicalizedValue(context.Request.Method) is var m && IsKnown(m) ? m : "other" },
                { "status", status },
            };
            _requests.Add(1, tags);
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
        }
    }

    /// <summary>Only the standard methods become tag values; anything a caller invents is "other".</summary>
    private static bool IsKnown(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsHead(method) || HttpMethods.IsPut(method)
        || HttpMethods.IsDelete(method) || HttpMethods.IsOptions(method) || HttpMethods.IsPatch(method);
}
