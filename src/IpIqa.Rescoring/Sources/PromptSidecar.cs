using System.Text;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;

namespace IpIqa.Rescoring;

/// <summary>
/// Reads an image's prompt sidecar (<c>x.txt</c> beside <c>x.png</c>) for <c>ipiqa score --input</c> and
/// <c>ipiqa rescore</c> on a folder. Whoever writes the folder chooses what the name holds, so the file is opened
/// through <see cref="RegularFile"/> (without blocking; a FIFO, device, socket or folder, or a link to one, is refused,
/// where a FIFO used to block the run for ever and <c>/dev/zero</c> was read to 2 GiB) and read to
/// <see cref="MaxBytes"/> at most. The text is decoded as <see cref="File.ReadAllText(string)"/> decodes it: UTF-8,
/// or UTF-16 or UTF-32 after a byte order mark.
/// </summary>
internal static class PromptSidecar
{
    /// <summary>Longest sidecar read: above the largest prompt limit (<c>--max-prompt-bytes</c> 1,000,000) and a byte order mark.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>
    /// The sidecar at <paramref name="path"/>: its trimmed text (possibly empty); or <c>prompt_missing</c> when there is
    /// no file to open (missing, a dangling link, unreadable); or <c>prompt_invalid</c> when it is not a regular file,
    /// is over <see cref="MaxBytes"/> or fails while read. The problem names the sidecar.
    /// </summary>
    public static SidecarPrompt Read(string path)
    {
        var name = Path.GetFileName(path);
        RegularFile file;
        try
        {
            file = RegularFile.Open(path, name, followLinks: true, noun: "Prompt file");
        }
        catch (IpIqaException ex)
        {
            return new(null, ex.Code == ErrorCodes.ImageNotFound ? ErrorCodes.PromptMissing : ErrorCodes.PromptInvalid, ex.Message);
        }

        using (file)
        {
            if (file.Length > MaxBytes)
            {
                return new(null, ErrorCodes.PromptInvalid, $"Prompt file '{name}' has {file.Length} bytes; a prompt file is read to {MaxBytes} bytes at most.");
            }

            var bytes = new byte[file.Length];
            int read;
            try
            {
                read = file.ReadFromStart(bytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new(null, ErrorCodes.PromptInvalid, $"Prompt file '{name}' cannot be read: {ex.Message}");
            }

            return new(Decode(bytes.AsSpan(0, read)).Trim(), null, null);
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0 && bytes[0] is 0x00 or 0xFE or 0xFF)
        {
            // A UTF-16 or UTF-32 byte order mark, or none: as File.ReadAllText reads it.
            using var reader = new StreamReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }

        return Encoding.UTF8.GetString(bytes[(bytes.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0)..]);
    }
}
