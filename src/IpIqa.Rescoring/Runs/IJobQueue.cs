using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>The worker fleet's request queue, as a producer sees it: send one schema-v1 request.</summary>
public interface IJobQueue : IAsyncDisposable
{
    /// <summary>Names the queue in reports.</summary>
    string Description { get; }

    /// <summary>
    /// Makes sure the queue can take messages before the run lists anything: creates a missing
    /// Storage Queue, or fails with a message naming a missing Service Bus queue.
    /// </summary>
    /// <returns>A line for the console when something was done (e.g. the queue was created), else null.</returns>
    /// <exception cref="InvalidDataException">The queue does not exist and cannot be created from here.</exception>
    Task<string?> EnsureReadyAsync(CancellationToken cancellationToken);

    Task SendAsync(ScoringRequest request, CancellationToken cancellationToken);
}
