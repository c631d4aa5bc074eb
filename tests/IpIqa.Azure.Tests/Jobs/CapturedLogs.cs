using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>Every log line written through its loggers: the message, each state value and the exception in full.</summary>
public sealed class CapturedLogs
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger<T> For<T>() => new Logger<T>(this);

    private sealed class Logger<T>(CapturedLogs logs) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs.Lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} | {values} | {exception}");
        }
    }
}
