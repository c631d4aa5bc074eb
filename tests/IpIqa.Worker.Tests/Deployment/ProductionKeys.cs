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

    /// <summary>The scoring API alone: no queue, the bundle, blob images, an Entra ID listener on every interface, probes.</summary>
    public static readonly string[] HttpApi =
    [
        "IpIqa:Transport:Kind",
        "IpIqa:Http:Address",
        "IpIqa:Http:Auth",
        "IpIqa:Http:Authority",
        "IpIqa:Http:Audience",
        "IpIqa:Model:BundlePath",
        "IpIqa:Blob:ServiceUri",
        "IpIqa:Blob:AllowedAccounts",
        "IpIqa:Health:Port",
    ];
}
