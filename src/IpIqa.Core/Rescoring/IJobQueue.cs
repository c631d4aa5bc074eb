using IpIqa.Core.Contracts;

namespace IpIqa.Core.Rescoring;

/// <summary>The worker fleet's request queue, as a producer sees it: send one schema-v1 request.</summary>
public interface IJobQueue : IAsyncDisposable
{
    /// <summary>Names the queue in reports.</summary>
    string Description { get; }

    Task SendAsync(ScoringRequest request, CancellationToken cancellationToken);
}
