namespace IpIqa.Core.Contracts;

/// <summary>
/// One prompt word's share of the alignment: the alignment of the prompt with the word left out, and
/// <see cref="Change"/> = full alignment − that. Positive: the word raised alignment (the image supports it);
/// negative: the prompt aligns better without it (the image does not support it). Null when the variant could not be scored.
/// </summary>
public sealed record WordAttribution(string Word, double? AlignmentWithout, double? Change)
{
    /// <summary>The image does not support the word: the prompt aligns better without it.</summary>
    public bool Unsupported => Change is < 0;

    /// <summary>The whitespace-separated words of <paramref name="prompt"/>, the units that are left out one at a time.</summary>
    public static string[] Split(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary><paramref name="words"/> without the word at <paramref name="index"/>, joined by single spaces.</summary>
    public static string Without(IReadOnlyList<string> words, int index)
    {
        ArgumentNullException.ThrowIfNull(words);
        return string.Join(' ', words.Where((_, j) => j != index));
    }
}
