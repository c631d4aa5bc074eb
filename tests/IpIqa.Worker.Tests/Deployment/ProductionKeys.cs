namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// Configuration keys that a production worker must set (no default fits production). The nightly
/// rescoring sets none: <c>ipiqa rescore</c> takes command-line options only.
/// </summary>
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

}
