namespace IpIqa.Core.Jobs;

/// <summary>How a delivery was settled.</summary>
public enum JobOutcome
{
    /// <summary>Scored, every sink wrote the result, the message is gone.</summary>
    Completed,

    /// <summary>The job will always fail: its error result was written and the message dead-lettered.</summary>
    DeadLettered,

    /// <summary>A transient failure or shutdown: the message will be delivered again.</summary>
    Abandoned,
}
