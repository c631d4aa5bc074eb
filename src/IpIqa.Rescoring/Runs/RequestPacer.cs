using System.Threading.RateLimiting;

namespace IpIqa.Rescoring;

/// <summary>
/// Holds a rescoring run's requests to a storage account to <c>requestsPerSecond</c> (0: unlimited),
/// shared by listing, downloads, checkpoints and sends. The limiting is the BCL's token bucket; this
/// class only chooses its shape and counts the requests. Thread-safe.
/// </summary>
public sealed class RequestPacer : IDisposable
{
    /// <summary>The longest burst allowed, as time at the full rate: short enough that a storage account never sees a spike.</summary>
    private static readonly TimeSpan BurstWindow = TimeSpan.FromMilliseconds(50);

    private readonly TokenBucketRateLimiter? _limiter;
    private long _taken;

    /// <param name="requestsPerSecond">The cap; 0 for none.</param>
    public RequestPacer(double requestsPerSecond)
        : this(requestsPerSecond, autoReplenish: true)
    {
    }

    /// <param name="requestsPerSecond">The cap; 0 for none.</param>
    /// <param name="autoReplenish">False: the bucket refills only on <see cref="Replenish"/>, so tests count slots instead of timing them.</param>
    internal RequestPacer(double requestsPerSecond, bool autoReplenish)
    {
        if (!double.IsFinite(requestsPerSecond) || requestsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "Requests per second must be 0 (unlimited) or a finite positive number.");
        }

        if (requestsPerSecond == 0)
        {
            return;
        }

        // Tokens per period chosen so the period is at least the burst window and the rate exact:
        // 30/s refills 2 tokens every 66.7 ms rather than rounding 1.5 tokens per 50 ms.
        var tokens = Math.Max(1, (int)Math.Ceiling(requestsPerSecond * BurstWindow.TotalSeconds));
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / requestsPerSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = autoReplenish,
        });
    }

    public static RequestPacer Unlimited { get; } = new(0);

    /// <summary>Slots taken so far (one per request), with or without a cap.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Waits for the next slot.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _taken);
        if (_limiter is null)
        {
            return;
        }

        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            // Only a disposed limiter refuses: the queue is unbounded.
            throw new ObjectDisposedException(nameof(RequestPacer));
        }
    }

    /// <summary>
    /// Adds the tokens accrued since the last refill (at the rate, at most a full bucket) and lets queued requests
    /// through; only a pacer made without auto-replenishment refills here.
    /// </summary>
    internal bool Replenish() => _limiter?.TryReplenish() ?? false;

    public void Dispose() => _limiter?.Dispose();
}
