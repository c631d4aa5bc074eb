namespace IpIqa.Inference;

/// <summary>
/// Whether the device that runs the model is sound: faulted by a batch that failed for a reason not
/// attributable to its items (see <see cref="Scoring.DeviceFaults"/>), sound again after a batch succeeds.
/// The worker's readiness reads it.
/// </summary>
public sealed class DeviceHealth(TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private volatile Fault? _fault;

    /// <summary>The last fault since the last successful batch; null while the device is sound.</summary>
    public string? LastFault => _fault is { } fault ? $"{fault.Message} (since {fault.Since:O}, {fault.Count} failed runs)" : null;

    public bool IsSound => _fault is null;

    public void Faulted(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = $"{exception.GetType().Name}: {exception.Message}";
        var previous = _fault;
        _fault = new Fault(message, previous?.Since ?? _clock.GetUtcNow(), (previous?.Count ?? 0) + 1);
    }

    public void Succeeded() => _fault = null;

    private sealed record Fault(string Message, DateTimeOffset Since, int Count);
}
