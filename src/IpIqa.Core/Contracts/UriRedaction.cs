using System.Text.RegularExpressions;

namespace IpIqa.Core.Contracts;

/// <summary>
/// Removes what may hold a secret from a URI the worker records (results, rows, logs, error messages,
/// poison entries): the user information, the query (a SAS token) and the fragment. The worker reads
/// blobs with its own identity, so nothing it does needs them.
/// </summary>
public static partial class UriRedaction
{
    /// <summary><paramref name="uri"/> without user information, query or fragment; works on any text, URI or not.</summary>
    public static string? Strip(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return uri;
        }

        var end = uri.IndexOfAny(['?', '#']);
        var text = end < 0 ? uri : uri[..end];
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return text;
        }

        var start = scheme + 3;
        var authorityEnd = text.IndexOfAny(['/', '\\'], start);
        authorityEnd = authorityEnd < 0 ? text.Length : authorityEnd;
        var at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        return at < 0 ? text : string.Concat(text.AsSpan(0, start), text.AsSpan(at + 1));
    }

    /// <summary>The image reference with its URI stripped (see <see cref="Strip(string?)"/>).</summary>
    public static ImageReference? Strip(ImageReference? image) =>
        image?.Uri is { } uri && Strip(uri) is var stripped && stripped != uri ? image with { Uri = stripped } : image;

    /// <summary>Free text (an error message) with every <c>scheme://</c> URI in it stripped.</summary>
    public static string StripAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("://", StringComparison.Ordinal) ? UriInText().Replace(text, m => Strip(m.Value)!) : text;
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'""<>`]*", RegexOptions.CultureInvariant)]
    private static partial Regex UriInText();
}
