using System.Collections.Concurrent;
using IpIqa.Core.Jobs;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>A sink whose first <c>failures</c> writes throw (a throttled store), then records.</summary>
public sealed class FlakySink(int failures) : IResultSink
{
    private int _calls;

    public string Name => "flaky";

    public int Order => 50;

    public ConcurrentQueue<ResultRecord> Records { get; } = new();

    public Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) <= failures)
        {
            throw new IOException("The store answered 503 Server Busy.");
        }

        Records.Enqueue(record);
        return Task.CompletedTask;
    }
}
