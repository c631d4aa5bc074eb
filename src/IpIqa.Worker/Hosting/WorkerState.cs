namespace IpIqa.Worker.Hosting;

/// <summary>What the health checks report (whether the model is loaded, a failure), and the exit code the process ends with.</summary>
public sealed class WorkerState
{
    private volatile bool _modelLoaded;

    public bool ModelLoaded
    {
        get => _modelLoaded;
        set => _modelLoaded = value;
    }

    /// <summary>Set when the worker failed to start (the reason, for readiness).</summary>
    public string? Failure { get; set; }

    /// <summary>The process's exit code once the host stops (<see cref="Core.Errors.ExitCodes"/>); kept here, not in the process-wide <see cref="Environment.ExitCode"/>, so a host in a test process cannot change that process's code.</summary>
    public int ExitCode { get; set; }
}
