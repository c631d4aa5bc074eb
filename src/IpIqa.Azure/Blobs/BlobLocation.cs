using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// A blob URI taken apart: the endpoint (scheme, host, port, and the account path segment on IP-style
/// hosts), account, container and name. The path is read from the caller's own text, one segment at a
/// time, before any URI library rewrites it: each segment is percent-decoded once and must then be a
/// plain name. Encoded separators (<c>%2F</c>, <c>%5C</c>), dot segments (<c>.</c>, <c>..</c>, encoded or
/// not), double encoding (<c>%252F</c>), backslashes, empty segments, control characters and user
/// information are refused, so the container that is checked is the container that is read.
/// </summary>
public sealed partial record BlobLocation(Uri Endpoint, string Account, string Container, string Name)
{
    /// <summary>The longest blob name Azure Storage accepts, in characters.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>Parses <paramref name="uri"/>; null when it is not a plain blob URI (see <see cref="TryParse(string, out BlobLocation?, out string?)"/>).</summary>
    public static BlobLocation? TryParse(string uri) => TryParse(uri, out var location, out _) ? location : null;

    /// <summary>Parses <paramref name="uri"/>; when it is refused, <paramref name="problem"/> says why (without the URI's query).</summary>
    public static bool TryParse(string uri, [NotNullWhen(true)] out BlobLocation? location, [NotNullWhen(false)] out string? problem)
    {
        location = null;
        problem = Parse(uri, out location);
        return problem is null;
    }

    /// <summary>The URI without user information, query or fragment (no SAS ever travels further).</summary>
    public string CanonicalUri =>
        new Uri(Endpoint, $"{Uri.EscapeDataString(Container)}/{string.Join('/', Name.Split('/').Select(Uri.EscapeDataString))}").AbsoluteUri;

    private static string? Parse(string uri, out BlobLocation? location)
    {
        location = null;
        if (string.IsNullOrEmpty(uri))
        {
            return "it is empty";
        }

        // Refused before .NET's parser sees them: it trims spaces and turns '\' into '/'.
        if (uri.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\'))
        {
            return "it holds a space, a control character or a backslash";
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            return "it is not an absolute http(s) URI";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "it carries user information";
        }

        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return "it is not an absolute http(s) URI";
        }

        var rest = uri[(schemeEnd + 3)..];
        var end = rest.IndexOfAny(['?', '#']);
        rest = end < 0 ? rest : rest[..end];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return "it names no container";
        }

        var segments = new List<string>();
        foreach (var raw in rest[(slash + 1)..].Split('/'))
        {
            if (CheckSegment(raw, out var decoded) is { } segmentProblem)
            {
                return segmentProblem;
            }

            segments.Add(decoded);
        }

        var pathStyle = parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || parsed.IsLoopback;
        var account = pathStyle ? segments[0] : parsed.Host.Split('.')[0];
        var first = pathStyle ? 1 : 0;
        if (segments.Count - first < 2)
        {
            return "it does not name both a container and a blob";
        }

        var container = segments[first];
        var name = string.Join('/', segments.Skip(first + 1));
        if (!AccountPattern().IsMatch(account))
        {
            return $"'{account}' is not a storage account name (3 to 24 lower-case letters and digits)";
        }

        if (!ContainerPattern().IsMatch(container))
        {
            return $"'{container}' is not a container name (3 to 63 lower-case letters, digits and single hyphens)";
        }

        if (name.Length > MaxNameLength)
        {
            return $"the blob name has {name.Length} characters; the limit is {MaxNameLength}";
        }

        var endpoint = new UriBuilder(parsed.Scheme, parsed.Host, parsed.Port).Uri;
        if (pathStyle)
        {
            endpoint = new Uri(endpoint, account + "/");
        }

        location = new BlobLocation(endpoint, account, container, name);
        return null;
    }

    /// <summary>Decodes one path segment once; a problem when the result is not a plain name.</summary>
    private static string? CheckSegment(string raw, out string decoded)
    {
        decoded = raw;
        if (raw.Length == 0)
        {
            return "its path has an empty segment ('//' or a trailing '/')";
        }

        if (MalformedEscape().IsMatch(raw))
        {
            return "its path has a '%' that is not followed by two hex digits";
        }

        decoded = Uri.UnescapeDataString(raw);
        if (decoded.Contains('/', StringComparison.Ordinal) || decoded.Contains('\\', StringComparison.Ordinal))
        {
            return "its path has an encoded separator (%2F or %5C)";
        }

        if (decoded is "." or "..")
        {
            return "its path has a dot segment ('.' or '..')";
        }

        if (Escape().IsMatch(decoded))
        {
            return "its path is encoded twice (such as %252F) or holds bytes that are not UTF-8";
        }

        if (decoded.Any(char.IsControl))
        {
            return "its path has an encoded control character";
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^(\$root|\$web|\$logs|(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerPattern();

    [GeneratedRegex("%(?![0-9A-Fa-f]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex MalformedEscape();

    [GeneratedRegex("%[0-9A-Fa-f]{2}", RegexOptions.CultureInvariant)]
    private static partial Regex Escape();
}
