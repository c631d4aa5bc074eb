using System.Security.Cryptography;
using System.Text;
using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// Processes an item by sending a schema-v1 request for it to the fleet's queue, tagged with the
/// run id (as <c>correlationId</c> and <c>attributes.runId</c>). The job id is derived from the run
/// id and the item key, so a resend after a crash carries the same id (the fleet writes idempotently).
/// Each send takes a slot of <paramref name="pacer"/>, the same budget as listing and downloads.
/// </summary>
public sealed class EnqueueProcessor(IJobQueue queue, string runId, string modelHash, Thresholds? thresholds, int maxInFlight, RequestPacer? pacer = null) : IRescoreProcessor
{
    private readonly RequestPacer _pacer = pacer ?? RequestPacer.Unlimited;

    public int MaxInFlight => maxInFlight;

    public string ModelHash => modelHash;

    public async Task<RescoreRecord> ProcessAsync(RescoreItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var jobId = JobIdOf(runId, item.Key);
        var image = item.LocalPath is null ? new ImageReference(Uri: item.Location) : new ImageReference(Path: item.LocalPath);
        var request = new ScoringRequest(
            jobId,
            image,
            item.Prompt!,
            thresholds,
            runId,
            new Dictionary<string, string> { ["runId"] = runId, ["key"] = item.Key });
        await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        await queue.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return RescoreRecord.For(item, modelHash, RescoreRecord.StatusEnqueued) with { JobId = jobId };
    }

    /// <summary>
    /// Done when a previous run scored the item here or sent it to the fleet with this model: the fleet's
    /// results are idempotent and a job that always fails is dead-lettered with its reason, so sending
    /// it again every night would only repeat that. <c>--force</c> sends everything again.
    /// </summary>
    public bool IsDone(RescoreRecord earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return earlier.Status is RescoreRecord.StatusScored or RescoreRecord.StatusEnqueued;
    }

    /// <summary>The fleet's verdict uses the thresholds sent with each job; a carried record keeps its scores and is marked skipped.</summary>
    public RescoreRecord CarryForward(RescoreRecord earlier, RescoreItem item)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(item);
        return earlier with { Location = item.Location, Skipped = true };
    }

    /// <summary><c>RUNID-</c> and 24 hex characters of the SHA-256 of the item key.</summary>
    public static string JobIdOf(string runId, string key) =>
        $"{runId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24]}";
}
