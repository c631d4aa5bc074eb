namespace IpIqa.Core.Jobs;

/// <summary>Handles and settles one delivery. Never throws except for cancellation of the caller's wait.</summary>
public interface IJobHandler
{
    Task<JobOutcome> HandleAsync(IReceivedJob job, CancellationToken cancellationToken);
}
