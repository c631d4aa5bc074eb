using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Stores explanations (a folder, a blob container) under <c>STEM.overlay.png</c> and <c>STEM.attention.json</c>,
/// overwriting: a redelivered job rewrites the same files. A write that throws makes the job transient, as a sink's does.
/// </summary>
public interface IExplanationStore
{
    /// <summary>Stores both files; returns their names (paths or URIs) for the result.</summary>
    Task<ResultExplanation> SaveAsync(string stem, Explanation explanation, CancellationToken cancellationToken);
}
