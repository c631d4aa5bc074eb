using System.Collections.Concurrent;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using Microsoft.Extensions.Logging;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>
/// A sender's job id and message id reach the log when a job is dead-lettered or scored. A line break in them wrote a
/// line that read as the worker's own, and an escape sequence reached the terminal of whoever read the log; they are
/// logged escaped.
/// </summary>
public sealed class JobLogInjectionTests
{
    [Theory]
    [InlineData("missing.png")]
    [InlineData("a.png")]
    public async Task A_job_id_and_message_id_with_controls_are_logged_escaped(string image)
    {
        var logger = new LinesLogger();
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        var processor = Processors.Create(h.Scorer, [h.Images], [h.Store], h.Metrics, logger: logger);
        var job = new FakeReceivedJob(JobProcessorHarness.Request("j\\nfail: IpIqa.Forged[1]\\u001b[2J", image), messageId: "m\u2028\u202Eforged");

        await processor.HandleAsync(job, CancellationToken.None);

        var line = Assert.Single(logger.Lines, l => l.Contains("IpIqa.Forged", StringComparison.Ordinal));
        Assert.DoesNotContain(line, c => char.IsControl(c) || c is '\u2028' or '\u202E');
        Assert.Contains("j\\u000afail: IpIqa.Forged[1]\\u001b[2J", line, StringComparison.Ordinal);
        Assert.Contains("m\\u2028\\u202eforged", line, StringComparison.Ordinal);
    }

    private sealed class LinesLogger : ILogger<JobProcessor>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
