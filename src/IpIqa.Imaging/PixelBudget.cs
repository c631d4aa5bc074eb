namespace IpIqa.Imaging;

/// <summary>
/// The decoded pixels the process may hold at once, shared by every decode of one preprocessor (a
/// singleton, so one budget per process). A decode takes its image's width × height before any frame
/// is allocated and gives it back when the tensor is written; callers wait in arrival order, so a
/// large image is not starved by small ones.
/// </summary>
public sealed class PixelBudget
{
    private readonly object _gate = new(); // Monitor.Wait needs a monitor, not a Lock
    private long _inUse;
    private long _peak;
    private long _nextTicket;
    private long _serving;

    /// <summary>What a decoded pixel costs at its peak: the decoder's own frame, the RGBX copy and resampling rows.</summary>
    public const int BytesPerPixel = 10;

    public PixelBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public long Capacity { get; }

    /// <summary>
    /// <see cref="Core.Imaging.ImageLimits.MaxPixelsInFlight"/> when set, else half the memory the process may
    /// use (the container's limit where there is one) at <see cref="BytesPerPixel"/> bytes a pixel.
    /// </summary>
    public static PixelBudget For(Core.Imaging.ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new PixelBudget(limits.MaxPixelsInFlight > 0 ? limits.MaxPixelsInFlight : DefaultCapacity(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
    }

    /// <summary>Half of <paramref name="availableBytes"/> at <see cref="BytesPerPixel"/> bytes a pixel; 4 GiB is assumed when it is unknown.</summary>
    public static long DefaultCapacity(long availableBytes) =>
        Math.Max((availableBytes > 0 ? availableBytes : 4L << 30) / 2 / BytesPerPixel, 1);

    /// <summary>Pixels taken now.</summary>
    public long InUse
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Callers waiting for room.</summary>
    public long Waiting
    {
        get
        {
            lock (_gate)
            {
                return _nextTicket - _serving;
            }
        }
    }

    /// <summary>The most pixels ever taken at once.</summary>
    public long Peak
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    /// <summary>Blocks until <paramref name="pixels"/> fit (at most <see cref="Capacity"/>); dispose the lease to give them back.</summary>
    public IDisposable Acquire(long pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixels, Capacity);
        lock (_gate)
        {
            var ticket = _nextTicket++;
            while (ticket != _serving || _inUse + pixels > Capacity)
            {
                Monitor.Wait(_gate);
            }

            _serving++;
            _inUse += pixels;
            _peak = Math.Max(_peak, _inUse);
            Monitor.PulseAll(_gate);
        }

        return new Lease(this, pixels);
    }

    private void Release(long pixels)
    {
        lock (_gate)
        {
            _inUse -= pixels;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Pixels taken from a <see cref="PixelBudget"/>, given back once on dispose.</summary>
    private sealed class Lease(PixelBudget budget, long pixels) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(pixels);
            }
        }
    }
}
