namespace IpIqa.Training.Data;

/// <summary>Derives independent, stable seeds from a base seed and indices (SplitMix64 finaliser), so results do not depend on processing order.</summary>
internal static class SeedMix
{
    public static int Combine(int seed, params int[] indices)
    {
        var x = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
        foreach (var index in indices)
        {
            x = Mix(x ^ unchecked((ulong)(uint)index + 0x632BE59BD9B4E019UL));
        }

        return (int)(Mix(x) & 0x7FFFFFFF);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
