namespace IpIqa.Inference.Preprocessing;

/// <summary>
/// How many images the preprocessing pool decodes at once, and why. A configured
/// <c>IpIqa:Preprocessing:Parallelism</c> wins. Otherwise the container's CPU quota in whole cores
/// (rounded down, at least 1), capped by the processors the process may run on; without a quota,
/// one per processor. .NET's <see cref="Environment.ProcessorCount"/> already honours a quota but
/// rounds it up (1.5 cores count as 2), which would have two decoders share one and a half cores
/// with the model's threads and be throttled.
/// </summary>
public sealed record PreprocessingPoolSize(int Size, string Source)
{
    /// <summary>The size for this process: <paramref name="configured"/>, else from <see cref="CpuQuota.System"/>.</summary>
    public static PreprocessingPoolSize For(int configured) => Resolve(configured, Environment.ProcessorCount, configured > 0 ? null : CpuQuota.System.Cores());

    public static PreprocessingPoolSize Resolve(int configured, int processorCount, double? quotaCores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(configured);
        ArgumentOutOfRangeException.ThrowIfLessThan(processorCount, 1);
        if (configured > 0)
        {
            return new PreprocessingPoolSize(configured, "IpIqa:Preprocessing:Parallelism");
        }

        if (quotaCores is { } quota && double.IsFinite(quota) && quota > 0)
        {
            var whole = (int)Math.Clamp(Math.Floor(quota), 1, processorCount);
            return new PreprocessingPoolSize(whole, $"CPU quota {quota:0.##} cores, {processorCount} processors");
        }

        return new PreprocessingPoolSize(processorCount, $"{processorCount} processors, no CPU quota");
    }
}
