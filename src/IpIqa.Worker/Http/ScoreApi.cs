using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Http;

/// <summary>
/// <c>POST /v1/score</c> and <c>GET /v1/model</c>. Every item goes through the one <see cref="ScoringService"/>, so
/// items of concurrent requests share the engine's batches and text cache with the queue's jobs, and each result is
/// exactly the queue's result contract (<see cref="ScoringJson"/>), in item order. A request whose items would pass
/// <see cref="InFlightGate.Capacity"/> is refused with 429 and <c>Retry-After</c>; a device fault or a store that
/// cannot be reached answers 503 with <c>Retry-After</c>, since a retry may succeed.
/// </summary>
internal sealed partial class ScoreApi(ScoringService scoring, InFlightGate gate, InFlightGate bodies, HttpApiOptions options, ModelDescription model, ILogger<ScoreApi> logger)
{
    public const string ScorePath = "/v1/score";
    public const string ModelPath = "/v1/model";

    public async Task ScoreAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aborted = context.RequestAborted;
        try
        {
            if (context.Request.ContentLength > options.MaxBodyBytes)
            {
                // Refused before a byte is read: Kestrel's own limit (for a body without a length) may drop the connection instead.
                throw new ScoreApiProblem(StatusCodes.Status413PayloadTooLarge, ScoreApiProblem.RequestTooLarge, $"The body has {context.Request.ContentLength} bytes; the limit is {options.MaxBodyBytes} (IpIqa:Http:MaxBodyBytes).");
            }

            // A body's parsed form and its decoded images take a few times its size; the bodies held at once are bounded
            // in bytes (one of unknown length counts as the largest allowed), so that many large uploads cannot exhaust memory.
            var reserved = context.Request.ContentLength is long length and > 0 ? length : options.MaxBodyBytes;
            if (!bodies.TryEnter(reserved))
            {
                throw Overloaded(context, $"{bodies.InFlight} request bytes are being read (four times IpIqa:Http:MaxBodyBytes at most); retry after a second.");
            }

            try
            {
                await ReadScoreAndAnswerAsync(context, aborted).ConfigureAwait(false);
            }
            finally
            {
                // The decoded images live until the answer is written: the reservation covers them too.
                bodies.Exit(reserved);
            }
        }
        catch (ScoreApiProblem problem)
        {
            await WriteProblemAsync(context.Response, problem.Status, problem.Code, problem.Message).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // A malformed multipart body (the form reader's limits included).
            await WriteProblemAsync(context.Response, StatusCodes.Status400BadRequest, ScoreApiProblem.RequestInvalid, ex.Message).ConfigureAwait(false);
        }
        catch (DeviceFaultException ex)
        {
            DeviceFault(logger, ex.Message);
            context.Response.Headers.RetryAfter = "5";
            await WriteProblemAsync(context.Response, StatusCodes.Status503ServiceUnavailable, Core.Errors.ErrorCodes.DeviceFault, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionResetException && aborted.IsCancellationRequested)
        {
            // The caller went away: its items were cancelled with it; there is no one to answer.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store that cannot be reached (throttling, 5xx, network): the items are not at fault.
            Transient(logger, ex);
            context.Response.Headers.RetryAfter = "1";
            await WriteProblemAsync(context.Response, StatusCodes.Status503ServiceUnavailable, ScoreApiProblem.Unavailable, $"An image could not be fetched now ({ex.GetType().Name}); retry.").ConfigureAwait(false);
        }
    }

    private async Task ReadScoreAndAnswerAsync(HttpContext context, CancellationToken aborted)
    {
        context.Request.Body = new BodyLimitStream(context.Request.Body, options.MaxBodyBytes);
        var items = await ScoreApiBody.ReadAsync(context.Request, scoring.Options, options.MaxItems, aborted).ConfigureAwait(false);
        if (!gate.TryEnter(items.Count))
        {
            throw Overloaded(context, $"{gate.InFlight} items are being scored (IpIqa:Http:MaxItemsInFlight {gate.Capacity}); retry after a second.");
        }

        ScoringResult[] results;
        try
        {
            results = await Task.WhenAll(items.Select(item => ScoreItemAsync(item, aborted))).ConfigureAwait(false);
        }
        finally
        {
            gate.Exit(items.Count);
        }

        await WriteResultsAsync(context.Response, results, aborted).ConfigureAwait(false);
    }

    /// <summary>A 429: the request is refused at once, to be sent again after <c>Retry-After</c>.</summary>
    private static ScoreApiProblem Overloaded(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = "1";
        return new ScoreApiProblem(StatusCodes.Status429TooManyRequests, ScoreApiProblem.Overloaded, message);
    }

    public Task ModelAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(model, HttpApiJsonContext.Default.ModelDescription), context.RequestAborted);
    }

    private Task<ScoringResult> ScoreItemAsync(ScoreApiItem item, CancellationToken cancellationToken)
    {
        if (item.Request is not { } request)
        {
            return Task.FromResult(scoring.Failed(item.Error!));
        }

        return item.Image is { } image
            ? scoring.ScoreAsync(request, image, cancellationToken)
            : scoring.ScoreAsync(request with { Image = UriRedaction.Strip(request.Image)! }, cancellationToken);
    }

    private static async Task WriteResultsAsync(HttpResponse response, ScoringResult[] results, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.BodyWriter.AsStream());
        json.WriteStartObject();
        json.WriteStartArray("results");
        foreach (var result in results)
        {
            json.WriteRawValue(ScoringJson.SerializeResult(result), skipInputValidation: true);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a refusal. Not bound to the request's abort token: Kestrel fires it on a body over the limit, and the caller should still learn why.</summary>
    internal static async Task WriteProblemAsync(HttpResponse response, int status, string code, string message)
    {
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(JsonSerializer.Serialize(new ApiError(new ApiErrorBody(code, message)), HttpApiJsonContext.Default.ApiError)).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Error, Message = "Scoring API: device fault, answering 503: {Message}")]
    private static partial void DeviceFault(ILogger logger, string message);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Scoring API: an image could not be fetched, answering 503")]
    private static partial void Transient(ILogger logger, Exception exception);
}
