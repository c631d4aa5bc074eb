namespace IpIqa.Worker.Hosting;

/// <summary>What the health checks report: whether the model is loaded and which transport runs.</summary>
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
}
