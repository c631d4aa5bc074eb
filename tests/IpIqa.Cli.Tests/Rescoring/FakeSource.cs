using System.Globalization;
using System.Runtime.CompilerServices;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>An in-memory gallery whose continuation token is the index of the next item.</summary>
internal sealed class FakeSource(IReadOnlyList<RescoreItem> items) : IRescoreSource
{
    public string Description => "fake:gallery";

    public List<string?> ListedFrom { get; } = [];

    public IReadOnlyList<RescoreItem> ListAll() => items;

    public static FakeSource WithItems(int count, Func<int, string?>? prompt = null) =>
        new(Enumerable.Range(0, count)
            .Select(i => new RescoreItem($"img-{i:D5}.png", $"mem://img-{i:D5}.png", 100 + i, "v1", prompt is null ? $"prompt {i}" : prompt(i)))
            .ToArray());

    public async IAsyncEnumerable<RescorePage> ListAsync(string? continuationToken, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ListedFrom.Add(continuationToken);
        var start = continuationToken is null ? 0 : int.Parse(continuationToken, CultureInfo.InvariantCulture);
        for (; start < items.Count; start += pageSize)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(items.Count, start + pageSize);
            yield return new RescorePage(items.Skip(start).Take(end - start).ToArray(), end < items.Count ? end.ToString(CultureInfo.InvariantCulture) : null);
        }
    }

    public Task<byte[]> ReadAsync(RescoreItem item, long maxBytes, CancellationToken cancellationToken) => Task.FromResult(new byte[item.Size]);
}
