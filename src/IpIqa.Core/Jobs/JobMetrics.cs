using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IpIqa.Core.Jobs;

/// <summary>
/// The job pipeline's instruments on the <c>IpIqa</c> meter and its activity source: jobs by outcome,
/// per-stage latency (fetch, decode, model, write), and message age at completion.
/// </summary>
public sealed class JobMetrics : IDisposable
{
    public const string Name = "IpIqa";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _stage;
    private readonly Histogram<double> _messageAge;

    public JobMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _jobs = _meter.CreateCounter<long>("ipiqa.jobs", description: "Deliveries handled, by outcome (completed, dead_lettered, abandoned) and error code.");
        _stage = _meter.CreateHistogram<double>("ipiqa.stage.duration", unit: "ms", description: "Time per stage of a job: fetch, decode, model, write.");
        _messageAge = _meter.CreateHistogram<double>("ipiqa.message.age", unit: "s", description: "Time from enqueue to completion of a job.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter => _meter;

    /// <summary>The activity source of the job pipeline (one activity per delivery).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    public void Job(JobOutcome outcome, string? code) =>
        _jobs.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)), new KeyValuePair<string, object?>("code", code ?? "none"));

    public void Stage(string stage, TimeSpan duration) =>
        _stage.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("stage", stage));

    public void MessageAge(TimeSpan age) => _messageAge.Record(Math.Max(0, age.TotalSeconds));

    public static string OutcomeName(JobOutcome outcome) => outcome switch
    {
        JobOutcome.Completed => "completed",
        JobOutcome.DeadLettered => "dead_lettered",
        _ => "abandoned",
    };

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
