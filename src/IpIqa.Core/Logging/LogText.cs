using System.Buffers;
using System.Globalization;
using System.Text;

namespace IpIqa.Core.Logging;

/// <summary>
/// Callers' text (job ids, message ids, file and blob names, error descriptions that quote them) made safe for a log
/// line. The console log writes a message as it is: a line break in a job id started a line that read as the worker's
/// own, and an escape sequence (ESC, CSI) or a bidirectional override reached the terminal of whoever read the log.
/// Each such character is written as <c>\uXXXX</c>; other text is returned as it is, without a copy.
/// </summary>
public static class LogText
{
    /// <summary>C0 and C1 controls, DEL, the line and paragraph separators and the bidirectional marks, embeddings, overrides and isolates.</summary>
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        string.Concat(
            new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c)]),
            new string([.. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]),
            "\u061C\u200E\u200F\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"));

    /// <summary><paramref name="text"/> with every unsafe character as <c>\uXXXX</c>; null stays null.</summary>
    public static string? Escape(string? text)
    {
        if (text is null || text.AsSpan().IndexOfAny(Unsafe) < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (Unsafe.Contains(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
