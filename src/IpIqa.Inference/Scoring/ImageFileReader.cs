using System.Buffers;
using IpIqa.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// Reads an image file into a pooled buffer, refusing missing, empty and oversized files with their codes.
/// The length is taken from the opened file, so a link is sized (and capped) by its target, never by itself.
/// </summary>
internal static class ImageFileReader
{
    /// <summary>Reads <paramref name="path"/>; the caller returns the buffer to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static (byte[] Buffer, int Length) Read(string path, long maxBytes)
    {
        if (Directory.Exists(path))
        {
            throw new IpIqaException(ErrorCodes.ImageNotAFile, $"Image '{path}' is a directory, not a file.");
        }

        using var handle = Open(path);
        long size;
        try
        {
            size = RandomAccess.GetLength(handle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IpIqaException(ErrorCodes.InternalError, $"Image '{path}' cannot be examined: {ex.Message}", ex);
        }

        if (size == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image '{path}' is empty.");
        }

        if (size > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image '{path}' has {size} bytes; the limit is {maxBytes}.");
        }

        var length = (int)size;
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

    private static SafeFileHandle Open(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{path}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or UnauthorizedAccessException or IOException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image path '{path}' cannot be opened: {ex.Message}", ex);
        }
    }
}
