using System.Collections.Concurrent;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>Records every write (into a shared log, to check order); fails when <see cref="Failure"/> is set.</summary>
public sealed class RecordingSink(string name, int order, ConcurrentQueue<string>? log = null) : IResultSink
{
    public string Name { get; } = name;

    public int Order { get; } = order;

    public ConcurrentQueue<ResultRecord> Records { get; } = new();

    public Exception? Failure { get; set; }

    public Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Records.Enqueue(record);
        log?.Enqueue(Name);
        return Task.CompletedTask;
    }
}
