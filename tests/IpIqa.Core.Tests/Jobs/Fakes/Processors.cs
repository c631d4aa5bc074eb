using IpIqa.Core.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>Job processors composed as the worker composes them, for tests of the processor and the adapters.</summary>
public static class Processors
{
    /// <summary>A processor over the one <see cref="ScoringService"/> of <paramref name="scorer"/> and <paramref name="sources"/>, as the worker composes it.</summary>
    public static JobProcessor Create(
        IImageScorer scorer,
        IEnumerable<IImageSource> sources,
        IEnumerable<IResultSink> sinks,
        JobMetrics metrics,
        ScoringOptions? scoring = null,
        JobProcessorOptions? options = null,
        ILogger<JobProcessor>? logger = null) =>
        new(
            new ScoringService(scorer, sources, scoring ?? new ScoringOptions(), metrics, TimeProvider.System),
            sinks,
            options ?? new JobProcessorOptions(),
            metrics,
            TimeProvider.System,
            logger ?? NullLogger<JobProcessor>.Instance);
}
