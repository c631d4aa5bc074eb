namespace IpIqa.Rescoring;

/// <summary>A set of record positions as a bitmap that grows to the largest position added: 1.25 MB at 10M positions.</summary>
internal sealed class PositionSet
{
    private ulong[] _bits = new ulong[16];

    /// <summary>Adds every position from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public void Add(long first, long last)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        var words = (last >> 6) + 1;
        if (words > _bits.Length)
        {
            Array.Resize(ref _bits, (int)Math.Max(words, Math.Min((long)_bits.Length * 2, Array.MaxLength)));
        }

        for (var p = first; p <= last; p++)
        {
            _bits[p >> 6] |= 1UL << (int)(p & 63);
        }
    }

    public bool Contains(long position) =>
        position >= 0 && (position >> 6) < _bits.Length && (_bits[position >> 6] & (1UL << (int)(position & 63))) != 0;
}
