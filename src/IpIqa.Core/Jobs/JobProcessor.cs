using System.Diagnostics;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Logging;
using Microsoft.Extensions.Logging;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Handles one delivery: parse and validate → the <see cref="ScoringService"/> (fetch, prompt, score through the batcher, verdict) →
/// every sink → settle. Completes only after every sink wrote the result. A job that will always
/// fail (bad message, image missing, not allowed or undecodable, model failure on the item) gets
/// an error result in the sinks and is dead-lettered with its code; so is a job whose result a sink
/// refuses for good (an <see cref="IpIqaException"/> from the sink, such as a table row over its size limit). Anything else (throttling, 5xx,
/// a sink failure, shutdown) abandons the delivery so that it comes again. This is the one place
/// that catches broadly, because it is where the outcome is decided.
/// </summary>
public sealed class JobProcessor(
    ScoringService scoring,
    IEnumerable<IResultSink> sinks,
    JobProcessorOptions options,
    JobMetrics metrics,
    TimeProvider clock,
    ILogger<JobProcessor> logger) : IJobHandler
{
    private readonly IResultSink[] _sinks = [.. sinks.OrderBy(s => s.Order)];

    public async Task<JobOutcome> HandleAsync(IReceivedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var activity = JobMetrics.ActivitySource.StartActivity("ipiqa.job", ActivityKind.Consumer);
        activity?.SetTag("messaging.message.id", job.MessageId);
        activity?.SetTag("messaging.message.delivery_count", job.DeliveryCount);
        JobOutcome outcome;
        string? code = null;
        try
        {
            (outcome, code) = await ProcessAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            JobProcessorLog.AbandonedOnShutdown(logger, LogText.Escape(job.MessageId)!);
            await AbandonQuietlyAsync(job, "The worker is shutting down.").ConfigureAwait(false);
            outcome = JobOutcome.Abandoned;
        }
        catch (DeviceFaultException ex)
        {
            // The worker is at fault, not the job: no result, no dead letter; back off, then abandon.
            JobProcessorLog.DeviceFault(logger, LogText.Escape(job.MessageId)!, job.DeliveryCount, options.DeviceFaultBackOff, ex.Message);
            await Task.WhenAny(Task.Delay(options.DeviceFaultBackOff, clock, cancellationToken)).ConfigureAwait(false);
            await AbandonQuietlyAsync(job, $"{ErrorCodes.DeviceFault}: {ex.Message}").ConfigureAwait(false);
            (outcome, code) = (JobOutcome.Abandoned, ErrorCodes.DeviceFault);
        }
        catch (Exception ex)
        {
            JobProcessorLog.Transient(logger, LogText.Escape(job.MessageId)!, job.DeliveryCount, ex);
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

    private async Task<(JobOutcome Outcome, string? Code)> ProcessAsync(IReceivedJob job, CancellationToken cancellationToken)
    {
        var model = scoring.Model;
        if (!ScoringRequestParser.TryParse(job.Body.Span, scoring.Options.PromptMetadataKey, scoring.Options.MaxPromptBytes, out var request, out var parseError))
        {
            return await RejectAsync(job, scoring.Failed(parseError), ResultKeys.For(job, null, model.Hash), cancellationToken).ConfigureAwait(false);
        }

        // The worker reads with its own identity: a SAS token or user information in image.uri goes no further.
        request = request with { Image = UriRedaction.Strip(request.Image)! };
        var key = ResultKeys.For(job, request, model.Hash);
        var result = await scoring.ScoreAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.IsError)
        {
            return await RejectAsync(job, result, key, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await WriteAllAsync(new ResultRecord(result, key, job), cancellationToken).ConfigureAwait(false);
        }
        catch (IpIqaException ex)
        {
            // A sink refused this result for good (a table row over its size limit): retrying cannot help.
            return await RejectAsync(job, scoring.Failed(request, new ResultError(ex.Code, ex.Message)), key, cancellationToken).ConfigureAwait(false);
        }

        await job.CompleteAsync(cancellationToken).ConfigureAwait(false);
        JobProcessorLog.Completed(logger, LogText.Escape(request.JobId)!, LogText.Escape(job.MessageId)!, result.Scores!.Quality, result.Scores.Alignment, result.Verdict!.Outcome);
        return (JobOutcome.Completed, null);
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
        JobProcessorLog.DeadLettered(logger, LogText.Escape(failed.JobId), LogText.Escape(job.MessageId)!, error.Code, LogText.Escape(error.Message)!);
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
            JobProcessorLog.AbandonFailed(logger, LogText.Escape(job.MessageId)!, ex);
        }
    }
}
