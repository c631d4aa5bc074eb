using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace IpIqa.Core.Tokenization;

/// <summary>
/// CLIP's pre-tokenizer, the regular expression
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
/// (case-insensitive), evaluated on Unicode code points. A .NET <see cref="System.Text.RegularExpressions.Regex"/>
/// sees UTF-16 units, so it would split letters outside the BMP (𝐀, 𠀀) where Python's <c>regex</c> does not.
/// </summary>
public sealed class ClipPreTokenizer : PreTokenizer
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";

    private static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    public static ClipPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    /// <summary>The (offset, length) of every piece, in UTF-16 units.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        var index = 0;
        while (index < text.Length)
        {
            var length = MatchAt(text, index);
            if (length > 0)
            {
                pieces.Add((index, length));
                index += length;
            }
            else
            {
                // Whitespace (or an unpaired surrogate's neighbour): no alternative matches here.
                index++;
            }
        }

        return pieces;
    }

    private static int MatchAt(ReadOnlySpan<char> text, int index)
    {
        var rest = text[index..];
        if (rest[0] == '<')
        {
            if (StartsWithIgnoreCase(rest, StartOfText))
            {
                return StartOfText.Length;
            }

            if (StartsWithIgnoreCase(rest, EndOfText))
            {
                return EndOfText.Length;
            }
        }
        else if (rest[0] == '\'')
        {
            foreach (var contraction in Contractions)
            {
                if (StartsWithIgnoreCase(rest, contraction))
                {
                    return contraction.Length;
                }
            }
        }

        Rune.DecodeFromUtf16(rest, out var first, out var firstLength);
        var kind = Classify(first);
        if (kind == CharKind.Number)
        {
            return firstLength;
        }

        if (kind == CharKind.Space)
        {
            return 0;
        }

        // [\p{L}]+ or [^\s\p{L}\p{N}]+: extend while the class holds.
        var length = firstLength;
        while (length < rest.Length)
        {
            Rune.DecodeFromUtf16(rest[length..], out var next, out var nextLength);
            if (Classify(next) != kind)
            {
                break;
            }

            length += nextLength;
        }

        return length;
    }

    private static CharKind Classify(Rune rune)
    {
        if (rune.IsBmp && PythonText.IsSpace((char)rune.Value))
        {
            return CharKind.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharKind.Number,
            _ => CharKind.Other,
        };
    }

    /// <summary>Ordinal match under simple case folding; the patterns are ASCII, and 'ſ' (U+017F) folds to 's'.</summary>
    private static bool StartsWithIgnoreCase(ReadOnlySpan<char> text, string pattern)
    {
        if (text.Length < pattern.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = text[i];
            var p = pattern[i];
            if (c != p && char.ToLowerInvariant(c) != p && !(p == 's' && c == '\u017F') && !(p == 'k' && c == '\u212A'))
            {
                return false;
            }
        }

        return true;
    }

    private enum CharKind
    {
        Space,
        Letter,
        Number,
        Other,
    }
}
