using System.Text;

namespace IpIqa.Core.Tokenization;

/// <summary>
/// The text cleaning of the official CLIP tokenizer, applied before pre-tokenization:
/// <c>html.unescape</c> twice, whitespace runs collapsed to one space, stripped, then lowercased
/// the way Python's <c>str.lower()</c> does. (The official code also runs <c>ftfy.fix_text</c>;
/// the reference ids were produced with it acting as the identity, which this class matches.)
/// </summary>
public static class ClipTextCleaner
{
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unescaped = PythonHtml.Unescape(PythonHtml.Unescape(text));
        return PythonText.Lower(CollapseWhitespace(unescaped));
    }

    /// <summary><c>re.sub(r"\s+", " ", text).strip()</c> with Python's definition of whitespace.</summary>
    internal static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (PythonText.IsSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
