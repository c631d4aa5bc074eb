namespace IpIqa.Core.Tokenization;

/// <summary>
/// GPT-2's reversible map from the 256 byte values to printable characters (<c>bytes_to_unicode</c>):
/// printable Latin-1 bytes map to themselves, the others to U+0100 onwards, in byte order.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The 256 symbols in the order CLIP puts them at the head of its vocabulary.</summary>
    public static IReadOnlyList<string> SymbolsInVocabularyOrder { get; } = Build();

    private static string[] Build()
    {
        static bool IsPrintable(int b) => b is (>= '!' and <= '~') or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);

        var symbols = new List<string>(256);
        for (var b = 0; b < 256; b++)
        {
            if (IsPrintable(b))
            {
                symbols.Add(((char)b).ToString());
            }
        }

        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!IsPrintable(b))
            {
                symbols.Add(((char)(256 + next)).ToString());
                next++;
            }
        }

        return [.. symbols];
    }
}
