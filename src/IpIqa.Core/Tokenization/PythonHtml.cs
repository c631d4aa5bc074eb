using System.Globalization;
using System.Text;

namespace IpIqa.Core.Tokenization;

/// <summary>
/// Python's <c>html.unescape</c>: every HTML5 named reference (with or without the semicolon,
/// longest legacy prefix first), decimal and hex references, and the standard's remapping of
/// invalid code points. The entity table is the embedded <c>HtmlEntities.txt</c>.
/// </summary>
internal static class PythonHtml
{
    private const int MaxNameLength = 32;
    private const string Replacement = "\uFFFD";

    private static readonly Lazy<(Dictionary<string, string> Named, Dictionary<int, string> Numeric)> Tables = new(LoadTables);

    public static string Unescape(string text)
    {
        var amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var start = 0;
        while (amp >= 0)
        {
            builder.Append(text, start, amp - start);
            var consumed = TryReplace(text, amp + 1, builder);
            if (consumed == 0)
            {
                builder.Append('&');
            }

            start = amp + 1 + consumed;
            amp = text.IndexOf('&', start);
        }

        builder.Append(text, start, text.Length - start);
        return builder.ToString();
    }

    /// <summary>Appends the replacement of the reference after '&amp;' at <paramref name="at"/>; returns the chars it consumed (0: none).</summary>
    private static int TryReplace(string text, int at, StringBuilder builder)
    {
        if (at < text.Length && text[at] == '#')
        {
            return TryReplaceNumeric(text, at, builder);
        }

        // [^\t\n\f <&#;]{1,32};?
        var end = at;
        var codePoints = 0;
        while (end < text.Length && codePoints < MaxNameLength && text[end] is not ('\t' or '\n' or '\f' or ' ' or '<' or '&' or '#' or ';'))
        {
            end += char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
            codePoints++;
        }

        if (end == at)
        {
            return 0;
        }

        if (end < text.Length && text[end] == ';')
        {
            end++;
        }

        var name = text[at..end];
        var named = Tables.Value.Named;
        if (named.TryGetValue(name, out var value))
        {
            builder.Append(value);
            return name.Length;
        }

        // The longest prefix that is a reference (legacy names may omit the semicolon).
        for (var length = name.Length - 1; length > 1; length--)
        {
            if (named.TryGetValue(name[..length], out value))
            {
                builder.Append(value).Append(name, length, name.Length - length);
                return name.Length;
            }
        }

        return 0;
    }

    private static int TryReplaceNumeric(string text, int at, StringBuilder builder)
    {
        var index = at + 1;
        var hex = index < text.Length && text[index] is 'x' or 'X';
        if (hex)
        {
            index++;
        }

        var digitsStart = index;
        while (index < text.Length && (hex ? char.IsAsciiHexDigit(text[index]) : char.IsAsciiDigit(text[index])))
        {
            index++;
        }

        if (index == digitsStart)
        {
            return 0;
        }

        var digits = text.AsSpan(digitsStart, index - digitsStart);
        if (index < text.Length && text[index] == ';')
        {
            index++;
        }

        builder.Append(ForCodePoint(ParseCapped(digits, hex)));
        return index - at;
    }

    /// <summary>Parses the digits; any value past U+10FFFF is returned as int.MaxValue.</summary>
    private static int ParseCapped(ReadOnlySpan<char> digits, bool hex)
    {
        long value = 0;
        foreach (var digit in digits)
        {
            var digitValue = char.IsAsciiDigit(digit) ? digit - '0' : (digit | 0x20) - 'a' + 10;
            value = (value * (hex ? 16 : 10)) + digitValue;
            if (value > 0x10FFFF)
            {
                return int.MaxValue;
            }
        }

        return (int)value;
    }

    private static string ForCodePoint(int codePoint)
    {
        if (Tables.Value.Numeric.TryGetValue(codePoint, out var remapped))
        {
            return remapped;
        }

        if (codePoint is (>= 0xD800 and <= 0xDFFF) or > 0x10FFFF)
        {
            return Replacement;
        }

        if (IsInvalidCodePoint(codePoint))
        {
            return string.Empty;
        }

        return char.ConvertFromUtf32(codePoint);
    }

    /// <summary>Control characters, noncharacters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of every plane.</summary>
    private static bool IsInvalidCodePoint(int codePoint) =>
        codePoint is (>= 0x1 and <= 0x8) or 0xB or (>= 0xE and <= 0x1F) or (>= 0x7F and <= 0x9F) or (>= 0xFDD0 and <= 0xFDEF)
        || (codePoint & 0xFFFE) == 0xFFFE;

    private static (Dictionary<string, string>, Dictionary<int, string>) LoadTables()
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var numeric = new Dictionary<int, string>();
        using var stream = typeof(PythonHtml).Assembly.GetManifestResourceStream("IpIqa.Core.Tokenization.HtmlEntities.txt")
            ?? throw new InvalidOperationException("The HtmlEntities.txt resource is missing from IpIqa.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("# ", StringComparison.Ordinal))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var value = string.Concat(line[(tab + 1)..].Split(' ').Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
            if (line.StartsWith("#x", StringComparison.Ordinal))
            {
                numeric[int.Parse(line.AsSpan(2, tab - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = value;
            }
            else
            {
                named[line[..tab]] = value;
            }
        }

        return (named, numeric);
    }
}
