using System.Buffers;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Image files, read the same way by every front door: the engine's pooled read of a path and the
/// sources' async read, both opening through <see cref="RegularFile"/> (non-blocking, so a FIFO in a
/// gallery cannot hang a run). A file is sized and capped by the file opened, so a link is measured by
/// its target, never by itself. Refusals carry the contract's codes: <c>image_not_a_file</c> (a
/// directory, device, FIFO or socket), <c>image_not_found</c> (missing, or a path that cannot be
/// opened), <c>image_empty</c>, <c>image_too_large</c>, and <c>internal_error</c> for an I/O error
/// while reading.
/// </summary>
public static class ImageFiles
{
    /// <summary>The file at <paramref name="path"/>, or the final target of the link there (its length and time are the target's).</summary>
    public static FileInfo Target(string path)
    {
        // The attributes cost the one lstat that the length and write time then reuse; only a link (or a missing file) asks for its target.
        var info = new FileInfo(path);
        return (info.Attributes & FileAttributes.ReparsePoint) != 0 && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }

    /// <summary>Reads <paramref name="path"/> into an array of its length; <paramref name="name"/> (a gallery key, a manifest entry) names it in errors.</summary>
    public static async Task<byte[]> ReadAsync(string path, string name, long maxBytes, CancellationToken cancellationToken)
    {
        using var file = RegularFile.Open(path, name, followLinks: true);
        var bytes = new byte[Checked(file, name, maxBytes)];
        var read = 0;
        try
        {
            while (read < bytes.Length)
            {
                var n = await RandomAccess.ReadAsync(file.Handle, bytes.AsMemory(read), read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return bytes[..read];
                }

                read += n;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IpIqaException(ErrorCodes.InternalError, $"Image '{name}' cannot be read: {ex.Message}", ex);
        }

        return bytes;
    }

    /// <summary>
    /// Reads <paramref name="path"/> into a buffer rented from <see cref="ArrayPool{T}.Shared"/>, which
    /// the caller returns: the engine's read, on its preprocessing threads, with no per-image array.
    /// </summary>
    public static (byte[] Buffer, int Length) ReadPooled(string path, long maxBytes)
    {
        using var file = RegularFile.Open(path, path, followLinks: true);
        var length = Checked(file, path, maxBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            return (buffer, file.ReadFromStart(buffer.AsSpan(0, length)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new IpIqaException(ErrorCodes.InternalError, $"Image '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static int Checked(RegularFile file, string name, long maxBytes)
    {
        if (file.Length == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image '{name}' is empty.");
        }

        if (file.Length > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image '{name}' has {file.Length} bytes; the limit is {maxBytes}.");
        }

        return checked((int)file.Length);
    }
}
