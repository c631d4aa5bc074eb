namespace IpIqa.Core.Rescoring;

/// <summary>How a run lists and what it skips.</summary>
public sealed record RescoreRunOptions
{
    /// <summary>Items per listing page; the checkpoint moves once per page.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Rescore items a previous run scored with the same model, item version and prompt.</summary>
    public bool Force { get; init; }
}
