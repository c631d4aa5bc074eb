using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>A result to write, its idempotency key (see <see cref="ResultKeys"/>) and the delivery it answers.</summary>
public sealed record ResultRecord(ScoringResult Result, string Key, IReceivedJob Job);
