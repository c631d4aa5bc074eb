namespace IpIqa.Rescoring;

/// <summary>
/// A gallery to rescore, listed page by page in a stable order so a run can checkpoint the listing
/// position (the continuation token after a finished page) and resume there.
/// </summary>
public interface IRescoreSource
{
    /// <summary>Names the source in run folders and reports (for example <c>blob:account/container/prefix</c>).</summary>
    string Description { get; }

    /// <summary>Lists pages of at most <paramref name="pageSize"/> items, starting after <paramref name="continuationToken"/> (null: from the start).</summary>
    IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Reads the encoded image of <paramref name="item"/>, refusing more than <paramref name="maxBytes"/>.</summary>
    Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken);
}
