using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>What the <see cref="JobProcessor"/> needs from configuration.</summary>
public sealed record JobProcessorOptions
{
    /// <summary>Largest image accepted, in bytes (checked before the download where the store tells the size).</summary>
    public long MaxImageBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>
    /// Longest prompt accepted, in UTF-8 bytes: a request's, and a blob event's metadata prompt. The worker takes it from
    /// <c>IpIqa:Model:MaxPromptBytes</c>, the limit the scoring engine applies.
    /// </summary>
    public int MaxPromptBytes { get; init; } = RequestLimits.DefaultMaxPromptBytes;

    /// <summary>Thresholds used where a request gives none.</summary>
    public Thresholds DefaultThresholds { get; init; } = Thresholds.None;

    /// <summary>The bundle's calibration: scored results carry percentiles when it covers both outputs.</summary>
    public ScoreCalibration Calibration { get; init; } = ScoreCalibration.None;

    /// <summary>The image metadata key that holds the prompt of a job made from a blob event (<c>IpIqa:Events:PromptMetadataKey</c>).</summary>
    public string PromptMetadataKey { get; init; } = PromptMetadata.DefaultKey;

    /// <summary>Wait before abandoning a delivery that met a device fault, so a failing device does not spin through the queue.</summary>
    public TimeSpan DeviceFaultBackOff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time spent abandoning a delivery on shutdown.</summary>
    public TimeSpan SettleOnShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
