namespace IpIqa.Core.Batching;

/// <summary>
/// Processes one batch. It returns exactly one result per item, in the items' order. It may
/// throw; the batcher then retries the items one by one so that only the failing item fails.
/// </summary>
public delegate ValueTask<IReadOnlyList<TOut>> BatchHandler<TIn, TOut>(IReadOnlyList<TIn> items, CancellationToken cancellationToken);
