namespace IpIqa.Core.Jobs;

/// <summary>
/// Writes results somewhere (a reply message, blob index tags, a table, a file). A write is
/// idempotent on <see cref="ResultRecord.Key"/>: a redelivered job rewrites the same row, line or tags.
/// A write that throws makes the job transient (abandoned and retried).
/// </summary>
public interface IResultSink
{
    /// <summary>A short name for logs and metrics.</summary>
    string Name { get; }

    /// <summary>Sinks run in ascending order; durable stores first, the reply last.</summary>
    int Order { get; }

    Task WriteAsync(ResultRecord record, CancellationToken cancellationToken);
}
