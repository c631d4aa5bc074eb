namespace IpIqa.Core.Jobs;

/// <summary>
/// Where jobs travel: the worker receives from it (<c>IpIqa:Transport:Kind</c>), and <c>ipiqa rescore --enqueue</c>
/// sends to it (<c>--queue-kind</c>). One enum for both, so the two always name the same queues.
/// </summary>
public enum TransportKind
{
    /// <summary>A local JSONL file or folder (the embedded default).</summary>
    Local,

    /// <summary>An Azure Service Bus queue.</summary>
    ServiceBus,

    /// <summary>An Azure Storage queue.</summary>
    StorageQueue,

    /// <summary>No queue: the worker serves only the synchronous scoring API (<c>IpIqa:Http</c>).</summary>
    Http,
}

/// <summary>The names of <see cref="TransportKind"/> on a command line.</summary>
public static class TransportKinds
{
    /// <summary>
    /// Reads a kind written as on the command line (<c>storage-queue</c>, <c>service-bus</c>, <c>local</c>, <c>http</c>) or as in
    /// configuration (<c>StorageQueue</c>); case, hyphens and underscores do not matter. False for anything else.
    /// </summary>
    public static bool TryParse(string? value, out TransportKind kind)
    {
        kind = TransportKind.Local;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var name = value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return !name.Any(char.IsDigit) && Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    /// <summary>The command-line name: <c>local</c>, <c>service-bus</c>, <c>storage-queue</c>, <c>http</c>.</summary>
    public static string ToArgument(this TransportKind kind) => kind switch
    {
        TransportKind.ServiceBus => "service-bus",
        TransportKind.StorageQueue => "storage-queue",
        TransportKind.Http => "http",
        _ => "local",
    };
}
