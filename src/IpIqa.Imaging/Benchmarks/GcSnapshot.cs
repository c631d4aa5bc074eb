namespace IpIqa.Imaging.Benchmarks;

/// <summary>
/// The runtime's own GC counters at one moment: bytes allocated by all threads, total pause time and
/// collections per generation (the sources of System.Runtime's alloc-rate, time-paused-by-gc and gc-count).
/// </summary>
public readonly record struct GcSnapshot(long Allocated, TimeSpan Paused, int Gen0, int Gen1, int Gen2)
{
    public static GcSnapshot Take() => new(
        GC.GetTotalAllocatedBytes(precise: true), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>What happened from <paramref name="start"/> to now, per image over <paramref name="images"/> images.</summary>
    public static GcShare Since(GcSnapshot start, int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        var now = Take();
        return new GcShare(
            Math.Round((now.Allocated - start.Allocated) / 1024.0 / images, 1),
            Math.Round((now.Paused - start.Paused).TotalMilliseconds / images, 3),
            now.Gen0 - start.Gen0,
            now.Gen1 - start.Gen1,
            now.Gen2 - start.Gen2);
    }
}
