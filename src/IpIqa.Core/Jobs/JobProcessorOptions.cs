namespace IpIqa.Core.Jobs;

/// <summary>What the <see cref="JobProcessor"/> needs from configuration beyond the <see cref="ScoringService"/>'s <see cref="ScoringOptions"/>.</summary>
public sealed record JobProcessorOptions
{
    /// <summary>Wait before abandoning a delivery that met a device fault, so a failing device does not spin through the queue.</summary>
    public TimeSpan DeviceFaultBackOff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time spent abandoning a delivery on shutdown.</summary>
    public TimeSpan SettleOnShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
