using IpIqa.Core.Jobs;
using IpIqa.Core.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Local;

/// <summary>
/// The embedded transport: jobs from <see cref="LocalOptions.JobsPath"/>, many in flight so that the
/// batcher fills. A transient failure is retried up to <see cref="LocalOptions.MaxAttempts"/> times.
/// With <see cref="LocalOptions.Drain"/> it returns once everything there is settled; otherwise it
/// looks for new lines or files every <see cref="LocalOptions.PollInterval"/>.
/// A job whose result is already in the results file (a run before a crash or restart wrote it) is not
/// scored again: it is reported from that line.
/// </summary>
public sealed class LocalJobSource(
    IOptions<LocalOptions> options,
    DrainReport report,
    JsonlResultSink results,
    IImageScorer scorer,
    TimeProvider clock,
    ILogger<LocalJobSource> logger) : IJobSource
{
    public const int MaxInFlight = 64;

    public string Name => "Local";

    public bool IsConnected { get; private set; }

    public async Task RunAsync(IJobHandler handler, CancellationToken stoppingToken, CancellationToken abortToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var settings = options.Value;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var cursor = new LocalJobCursor(); // a JSONL file is read on from the last poll, not again whole (#19)
        var modelHash = scorer.Model.Hash;
        while (!stoppingToken.IsCancellationRequested)
        {
            var found = LocalJobReader.ReadNew(settings.JobsPath, seen, settings.SettleTime, clock.GetUtcNow(), complete: settings.Drain, cursor, (entry, reason) => LocalLog.Skipped(logger, LogText.Escape(entry)!, LogText.Escape(reason)!));
            IsConnected = true;
            var jobs = new List<LocalReceivedJob>(found.Count);
            foreach (var job in found)
            {
                var key = ResultKeys.For(job, modelHash);
                if (await results.ContainsAsync(key, stoppingToken).ConfigureAwait(false))
                {
                    report.AddEarlier(job.MessageId, results.ReadEarlier(key));
                    continue;
                }

                jobs.Add(job);
            }

            if (found.Count > 0)
            {
                LocalLog.Found(logger, jobs.Count, found.Count - jobs.Count, settings.JobsPath);
            }

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxInFlight };
            await Parallel.ForEachAsync(jobs, parallel, async (job, _) =>
            {
                if (!stoppingToken.IsCancellationRequested)
                {
                    await HandleWithRetriesAsync(handler, job, settings, abortToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

            if (settings.Drain)
            {
                return;
            }

            try
            {
                await Task.Delay(settings.PollInterval, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task HandleWithRetriesAsync(IJobHandler handler, LocalReceivedJob job, LocalOptions settings, CancellationToken abortToken)
    {
        while (true)
        {
            await handler.HandleAsync(job, abortToken).ConfigureAwait(false);
            if (job.Settled != JobOutcome.Abandoned)
            {
                return;
            }

            if (job.DeliveryCount >= settings.MaxAttempts || abortToken.IsCancellationRequested)
            {
                report.Abandoned(job.MessageId, job.Reason ?? "abandoned");
                LocalLog.GaveUp(logger, LogText.Escape(job.MessageId)!, job.DeliveryCount, LogText.Escape(job.Reason));
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * job.DeliveryCount), CancellationToken.None).ConfigureAwait(false);
            job = job.Redeliver();
        }
    }
}
