using System.Globalization;
using System.Text;

namespace IpIqa.Core.Tokenization;

/// <summary>
/// The parts of Python's <c>str</c> semantics the CLIP tokenizer depends on: <c>str.lower()</c>
/// (simple case mapping, plus the unconditional full mapping of U+0130 and the Final_Sigma rule)
/// and <c>str.isspace()</c>. .NET's invariant lowercasing differs on exactly those points.
/// </summary>
internal static class PythonText
{
    private const int CapitalSigma = 0x03A3;
    private const int SmallSigma = 0x03C3;
    private const int FinalSigma = 0x03C2;
    private const int CapitalIWithDot = 0x0130;

    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit (every such character is in the BMP).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary>Python's <c>str.lower()</c>.</summary>
    public static string Lower(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            // ASCII lowercases the same everywhere.
            return text.ToLowerInvariant();
        }

        var builder = new StringBuilder(text.Length);
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case CapitalIWithDot:
                    builder.Append('i').Append('\u0307');
                    break;
                case CapitalSigma:
                    builder.Append((char)(IsFinalSigma(text, index) ? FinalSigma : SmallSigma));
                    break;
                default:
                    AppendRune(builder, Rune.ToLowerInvariant(rune));
                    break;
            }

            index += rune.Utf16SequenceLength;
        }

        return builder.ToString();
    }

    /// <summary>
    /// Unicode's Final_Sigma context, as CPython evaluates it:
    /// <c>\p{cased} \p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased})</c>.
    /// </summary>
    private static bool IsFinalSigma(string text, int sigmaIndex)
    {
        var before = sigmaIndex;
        Rune previous = default;
        var foundBefore = false;
        while (before > 0)
        {
            Rune.DecodeLastFromUtf16(text.AsSpan(0, before), out previous, out var length);
            before -= length;
            if (!IsCaseIgnorable(previous))
            {
                foundBefore = true;
                break;
            }
        }

        if (!foundBefore || !IsCased(previous))
        {
            return false;
        }

        var after = sigmaIndex + 1;
        while (after < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(after), out var next, out var length);
            after += length;
            if (!IsCaseIgnorable(next))
            {
                return !IsCased(next);
            }
        }

        return true;
    }

    /// <summary>Unicode's Cased property: Lowercase, Uppercase or titlecase letters.</summary>
    internal static bool IsCased(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter)
        {
            return true;
        }

        // Other_Lowercase and Other_Uppercase outside the letter categories.
        return rune.Value is 0xAA or 0xBA
            or (>= 0x2160 and <= 0x217F)
            or (>= 0x24B6 and <= 0x24E9)
            or (>= 0x1F130 and <= 0x1F149)
            or (>= 0x1F150 and <= 0x1F169)
            or (>= 0x1F170 and <= 0x1F189);
    }

    /// <summary>Unicode's Case_Ignorable property.</summary>
    internal static bool IsCaseIgnorable(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol)
        {
            return true;
        }

        // Word_Break MidLetter, MidNumLet and Single_Quote.
        return rune.Value is 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019
            or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
    }

    private static void AppendRune(StringBuilder builder, Rune rune)
    {
        Span<char> buffer = stackalloc char[2];
        var written = rune.EncodeToUtf16(buffer);
        builder.Append(buffer[..written]);
    }
}
