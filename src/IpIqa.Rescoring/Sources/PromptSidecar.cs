using System.Text;

namespace IpIqa.Rescoring;

/// <summary>The prompt of an image kept in a text file beside it (a folder source's <c>.txt</c> sidecar).</summary>
internal static class PromptSidecar
{
    /// <summary>
    /// The trimmed text of the sidecar at <paramref name="path"/>; null when it is empty, or when it is no longer a file (gone
    /// since the folder was read, a dangling link, which used to stop the listing, a link to a folder). A sidecar is a few hundred bytes
    /// on a local disk: its bytes are read in one synchronous call and decoded as UTF-8, as
    /// <see cref="File.ReadAllText(string)"/> reads it, which a sidecar with a UTF-16 or UTF-32 byte
    /// order mark still goes through (#19).
    /// </summary>
    public static string? Read(string path)
    {
        string text;
        try
        {
            var bytes = File.ReadAllBytes(path);
            text = bytes.Length > 0 && bytes[0] is 0x00 or 0xFE or 0xFF
                ? File.ReadAllText(path)
                : Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException || (ex is IOException or UnauthorizedAccessException && !File.Exists(path)))
        {
            return null;
        }

        text = text.Trim();
        return text.Length == 0 ? null : text;
    }
}
