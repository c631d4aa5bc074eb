namespace IpIqa.Inference.Caching;

/// <summary>A cached prompt: the model hash and its token ids (the array is not copied; do not change it).</summary>
public readonly struct TextCacheKey : IEquatable<TextCacheKey>
{
    private readonly int _hashCode;

    public TextCacheKey(string modelHash, long[] ids)
    {
        ArgumentNullException.ThrowIfNull(modelHash);
        ArgumentNullException.ThrowIfNull(ids);
        ModelHash = modelHash;
        Ids = ids;
        var hash = new HashCode();
        hash.Add(modelHash, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            hash.Add(id);
        }

        _hashCode = hash.ToHashCode();
    }

    public string ModelHash { get; }

    public long[] Ids { get; }

    public bool Equals(TextCacheKey other) =>
        _hashCode == other._hashCode
        && string.Equals(ModelHash, other.ModelHash, StringComparison.Ordinal)
        && Ids.AsSpan().SequenceEqual(other.Ids);

    public override bool Equals(object? obj) => obj is TextCacheKey other && Equals(other);

    public override int GetHashCode() => _hashCode;

    public static bool operator ==(TextCacheKey left, TextCacheKey right) => left.Equals(right);

    public static bool operator !=(TextCacheKey left, TextCacheKey right) => !left.Equals(right);
}
