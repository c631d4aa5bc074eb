using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using Microsoft.Extensions.Logging;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Handles one delivery: parse and validate → fetch (a blob event's prompt comes from the image's metadata) → score (through the batcher) → verdict →
/// every sink → settle. Completes only after every sink wrote the result. A job that will always
/// fail (bad message, image missing, not allowed or undecodable, model failure on the item) gets
/// an error result in the sinks and is dead-lettered with its code; so is a job whose result a sink
/// refuses for good (an <see cref="IpIqaException"/> from the sink, such as a table row over its size limit). Anything else (throttling, 5xx,
/// a sink failure, shutdown) abandons the delivery so that it comes again. This is the one place
/// that catches broadly, because it is where the outcome is decided.
/// </summary>
public sealed class JobProcessor(
    IImageScorer scorer,
    IEnumerable<IImageSource> imageSources,
    IEnumerable<IResultSink> sinks,
    JobProcessorOptions options,
    JobMetrics metrics,
    TimeProvider clock,
    ILogger<JobProcessor> logger) : IJobHandler
{
    private readonly IImageSource[] _sources = [.. imageSources];
    private readonly IResultSink[] _sinks = [.. sinks.OrderBy(s => s.Order)];
    private readonly VerdictCalculator _verdicts = new(options.DefaultThresholds);

    public async Task<JobOutcome> HandleAsync(IReceivedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var activity = JobMetrics.ActivitySource.StartActivity("ipiqa.job", ActivityKind.Consumer);
        activity?.SetTag("messaging.message.id", job.MessageId);
        activity?.SetTag("messaging.message.delivery_count", job.DeliveryCount);
        var started = Stopwatch.GetTimestamp();
        JobOutcome outcome;
        string? code = null;
        try
        {
            (outcome, code) = await ProcessAsync(job, started, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            JobProcessorLog.AbandonedOnShutdown(logger, job.MessageId);
            await AbandonQuietlyAsync(job, "The worker is shutting down.").ConfigureAwait(false);
            outcome = JobOutcome.Abandoned;
        }
        catch (DeviceFaultException ex)
        {
            // The worker is at fault, not the job: no result, no dead letter; back off, then abandon.
            JobProcessorLog.DeviceFault(logger, job.MessageId, job.DeliveryCount, options.DeviceFaultBackOff, ex.Message);
            await Task.WhenAny(Task.Delay(options.DeviceFaultBackOff, clock, cancellationToken)).ConfigureAwait(false);
            await AbandonQuietlyAsync(job, $"{ErrorCodes.DeviceFault}: {ex.Message}").ConfigureAwait(false);
            (outcome, code) = (JobOutcome.Abandoned, ErrorCodes.DeviceFault);
        }
        catch (Exception ex)
        {
            JobProcessorLog.Transient(logger, job.MessageId, job.DeliveryCount, ex);
            await AbandonQuietlyAsync(job, $"{ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            outcome = JobOutcome.Abandoned;
        }

        metrics.Job(outcome, code);
        if (outcome == JobOutcome.Completed)
        {
            metrics.MessageAge(clock.GetUtcNow() - job.EnqueuedAt);
        }

        activity?.SetTag("ipiqa.outcome", JobMetrics.OutcomeName(outcome));
        if (code is not null)
        {
            activity?.SetTag("error.type", code);
        }

        return outcome;
    }

    private async Task<(JobOutcome Outcome, string? Code)> ProcessAsync(IReceivedJob job, long started, CancellationToken cancellationToken)
    {
        var model = scorer.Model;
        if (!ScoringRequestParser.TryParse(job.Body.Span, options.PromptMetadataKey, options.MaxPromptBytes, out var request, out var parseError))
        {
            var failed = ScoringResult.Failed(parseError, model, clock.GetUtcNow());
            return await RejectAsync(job, failed, ResultKeys.For(job, null, model.Hash), cancellationToken).ConfigureAwait(false);
        }

        // The worker reads with its own identity: a SAS token or user information in image.uri goes no further.
        request = request with { Image = UriRedaction.Strip(request.Image)! };
        var key = ResultKeys.For(job, request, model.Hash);

        FetchedImage image;
        var fetchStarted = Stopwatch.GetTimestamp();
        try
        {
            image = await FetchAsync(request.Image, cancellationToken).ConfigureAwait(false);
        }
        catch (IpIqaException ex)
        {
            var failed = ScoringResult.Failed(request, new ResultError(ex.Code, ex.Message), model, clock.GetUtcNow());
            return await RejectAsync(job, failed, key, cancellationToken).ConfigureAwait(false);
        }

        var fetch = Stopwatch.GetElapsedTime(fetchStarted);
        metrics.Stage("fetch", fetch);
        var name = request.Image.Uri ?? request.Image.Path ?? request.JobId;
        if (!TryResolvePrompt(request, image, name, out var prompt, out var promptError))
        {
            var failed = ScoringResult.Failed(request, promptError, model, clock.GetUtcNow());
            return await RejectAsync(job, failed, key, cancellationToken).ConfigureAwait(false);
        }

        var scored = await scorer.ScoreAsync(new ScorerInput(name, image.Bytes, prompt), cancellationToken).ConfigureAwait(false);
        metrics.Stage("decode", scored.Decode);
        if (scored.Scores is not { } scores)
        {
            var error = scored.Error ?? new ResultError(ErrorCodes.ScoringFailed, "The scorer returned neither scores nor an error.");
            var failed = ScoringResult.Failed(request, error, model, clock.GetUtcNow());
            return await RejectAsync(job, failed, key, cancellationToken).ConfigureAwait(false);
        }

        metrics.Stage("model", scored.Model);
        var verdict = _verdicts.Decide(scores, request.Thresholds);
        var timings = new ResultTimings(
            Math.Round(fetch.TotalMilliseconds, 3),
            Math.Round(scored.Decode.TotalMilliseconds, 3),
            Math.Round(scored.Model.TotalMilliseconds, 3),
            Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3));
        var percentiles = options.Calibration.PercentilesOf(scores.Quality, scores.Alignment)?.Rounded();
        var result = ScoringResult.Scored(request, scores, verdict, model, clock.GetUtcNow(), timings, percentiles);
        try
        {
            await WriteAllAsync(new ResultRecord(result, key, job), cancellationToken).ConfigureAwait(false);
        }
        catch (IpIqaException ex)
        {
            // A sink refused this result for good (a table row over its size limit): retrying cannot help.
            var failed = ScoringResult.Failed(request, new ResultError(ex.Code, ex.Message), model, clock.GetUtcNow());
            return await RejectAsync(job, failed, key, cancellationToken).ConfigureAwait(false);
        }

        await job.CompleteAsync(cancellationToken).ConfigureAwait(false);
        JobProcessorLog.Completed(logger, request.JobId, job.MessageId, scores.Quality, scores.Alignment, verdict.Outcome);
        return (JobOutcome.Completed, null);
    }

    /// <summary>
    /// The request's prompt or, for a blob event, the prompt in the image's metadata (URL-decoded, see
    /// <see cref="PromptMetadata"/>). None there is <c>prompt_missing</c>; one that fails the prompt rules is <c>prompt_invalid</c>.
    /// </summary>
    private bool TryResolvePrompt(ScoringRequest request, FetchedImage image, string name, [NotNullWhen(true)] out string? prompt, [NotNullWhen(false)] out ResultError? error)
    {
        prompt = request.Prompt;
        error = null;
        if (prompt is not null)
        {
            return true;
        }

        var key = request.PromptMetadataKey ?? PromptMetadata.DefaultKey;
        prompt = PromptMetadata.Find(image.Metadata, key);
        if (prompt is null)
        {
            error = new ResultError(
                ErrorCodes.PromptMissing,
                $"Image '{name}' has no prompt: the message carries none (a blob event) and the image has no metadata value '{key}' (IpIqa:Events:PromptMetadataKey).");
            return false;
        }

        if (ScoringRequestParser.CheckPrompt(prompt, options.MaxPromptBytes) is { } problem)
        {
            prompt = null;
            error = new ResultError(ErrorCodes.PromptInvalid, $"Image '{name}', metadata value '{key}': {problem}");
            return false;
        }

        return true;
    }

    private async Task<FetchedImage> FetchAsync(ImageReference image, CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            if (source.CanFetch(image))
            {
                return await source.FetchAsync(image, options.MaxImageBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        var where = image.Uri is not null ? $"image.uri '{image.Uri}'" : $"image.path '{image.Path}'";
        throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"{where} is not served by any configured image source.");
    }

    private async Task<(JobOutcome, string?)> RejectAsync(IReceivedJob job, ScoringResult failed, string key, CancellationToken cancellationToken)
    {
        var error = failed.Error!;
        try
        {
            await WriteAllAsync(new ResultRecord(failed, key, job), cancellationToken).ConfigureAwait(false);
        }
        catch (IpIqaException ex)
        {
            // The error result is refused for good too: the dead-lettered message keeps the job, its description says both.
            error = error with { Message = UriRedaction.StripAll($"{error.Message} The error result was not stored either: {ex.Message}") };
        }

        await job.DeadLetterAsync(error.Code, error.Message, cancellationToken).ConfigureAwait(false);
        JobProcessorLog.DeadLettered(logger, failed.JobId, job.MessageId, error.Code, error.Message);
        return (JobOutcome.DeadLettered, error.Code);
    }

    private async Task WriteAllAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var sink in _sinks)
        {
            await sink.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        }

        metrics.Stage("write", Stopwatch.GetElapsedTime(started));
    }

    private async Task AbandonQuietlyAsync(IReceivedJob job, string reason)
    {
        using var timeout = new CancellationTokenSource(options.SettleOnShutdownTimeout);
        try
        {
            await job.AbandonAsync(reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The lock or visibility timeout returns the message to the queue anyway.
            JobProcessorLog.AbandonFailed(logger, job.MessageId, ex);
        }
    }
}
