using System.Globalization;

namespace IpIqa.TestSupport.Loopback;

/// <summary>Settings of the Service Bus test double that apply to every queue it creates.</summary>
public sealed record ServiceBusDoubleOptions
{
    /// <summary>How long a peek-lock lasts before the message is redelivered.</summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries after which a message is dead-lettered with MaxDeliveryCountExceeded.</summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>Throws, naming the value, when a setting is out of range.</summary>
    public void Validate()
    {
        if (LockDuration < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(LockDuration), LockDuration, "LockDuration must be at least 1 ms.");
        }

        if (MaxDeliveryCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDeliveryCount), MaxDeliveryCount, "MaxDeliveryCount must be at least 1.");
        }
    }

    /// <summary>The double's command-line arguments for these settings.</summary>
    public IReadOnlyList<string> ToArguments() =>
    [
        "--lock-duration", ((long)Math.Ceiling(LockDuration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms",
        "--max-delivery-count", MaxDeliveryCount.ToString(CultureInfo.InvariantCulture),
    ];
}
