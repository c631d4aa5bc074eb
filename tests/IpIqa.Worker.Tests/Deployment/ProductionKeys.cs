namespace IpIqa.Worker.Tests.Deployment;

/// <summary>Configuration keys that a production deployment must set (no default fits production).</summary>
internal static class ProductionKeys
{
    /// <summary>The scoring worker: Service Bus in, the baked or mounted bundle, blob images, table results, probes.</summary>
    public static readonly string[] Worker =
    [
        "IpIqa:Transport:Kind",
        "IpIqa:ServiceBus:FullyQualifiedNamespace",
        "IpIqa:ServiceBus:QueueName",
        "IpIqa:ServiceBus:ReplyQueueName",
        "IpIqa:Model:BundlePath",
        "IpIqa:Blob:ServiceUri",
        "IpIqa:Blob:AllowedAccounts",
        "IpIqa:Sinks:Table:Enabled",
        "IpIqa:Sinks:Table:ServiceUri",
        "IpIqa:Health:Port",
    ];

    /// <summary>The nightly rescoring: lists the gallery and enqueues jobs.</summary>
    public static readonly string[] Rescore =
    [
        "IpIqa:ServiceBus:FullyQualifiedNamespace",
        "IpIqa:ServiceBus:QueueName",
        "IpIqa:Blob:ServiceUri",
        "IpIqa:Blob:AllowedAccounts",
    ];
}
