using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.Support;

/// <summary>Keeps every log line of a host: category, event id, message and the exception in full.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Waits until every job has logged how it ended: abandoned on shutdown, or a transient failure.</summary>
    public async Task WaitForJobEndsAsync(int jobs, CancellationToken cancellationToken)
    {
        while (Lines.Count(line => line.Contains("abandoned on shutdown", StringComparison.Ordinal) || line.Contains("failed transiently", StringComparison.Ordinal)) < jobs)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
    }
}
