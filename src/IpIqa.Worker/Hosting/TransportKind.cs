namespace IpIqa.Worker.Hosting;

/// <summary>Where jobs come from.</summary>
public enum TransportKind
{
    /// <summary>A local JSONL file or folder (the embedded default).</summary>
    Local,

    /// <summary>An Azure Service Bus queue.</summary>
    ServiceBus,

    /// <summary>An Azure Storage queue.</summary>
    StorageQueue,
}
