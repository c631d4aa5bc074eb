using System.Buffers;
using IpIqa.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Image files, read the same way by every front door: the engine's pooled read of a path and the
/// sources' async read. A file is sized and capped by the file opened, so a link is measured by its
/// target, never by itself. Refusals carry the contract's codes: <c>image_not_a_file</c> (a
/// directory), <c>image_not_found</c> (missing, or a path that cannot be opened), <c>image_empty</c>,
/// <c>image_too_large</c>, and <c>internal_error</c> for an I/O error while reading.
/// </summary>
public static class ImageFiles
{
    /// <summary>The file at <paramref name="path"/>, or the final target of the link there (its length and time are the target's).</summary>
    public static FileInfo Target(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }

    /// <summary>Reads <paramref name="path"/> into an array of its length; <paramref name="name"/> (a gallery key, a manifest entry) names it in errors.</summary>
    public static async Task<byte[]> ReadAsync(string path, string name, long maxBytes, CancellationToken cancellationToken)
    {
        using var handle = Open(path, name, FileOptions.Asynchronous);
        var bytes = new byte[Length(handle, name, maxBytes)];
        var read = 0;
        try
        {
            while (read < bytes.Length)
            {
                var n = await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), read, cancellationToken).ConfigureAwait(false);
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
        using var handle = Open(path, path, FileOptions.None);
        var length = Length(handle, path, maxBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read, length - read), read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return (buffer, read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new IpIqaException(ErrorCodes.InternalError, $"Image '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static SafeFileHandle Open(string path, string name, FileOptions options)
    {
        if (Directory.Exists(path))
        {
            throw new IpIqaException(ErrorCodes.ImageNotAFile, $"Image '{name}' is a directory, not a file.");
        }

        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{name}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or UnauthorizedAccessException or IOException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{name}' cannot be opened: {ex.Message}", ex);
        }
    }

    private static int Length(SafeFileHandle handle, string name, long maxBytes)
    {
        long size;
        try
        {
            size = RandomAccess.GetLength(handle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IpIqaException(ErrorCodes.InternalError, $"Image '{name}' cannot be examined: {ex.Message}", ex);
        }

        if (size == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image '{name}' is empty.");
        }

        if (size > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image '{name}' has {size} bytes; the limit is {maxBytes}.");
        }

        return checked((int)size);
    }
}
