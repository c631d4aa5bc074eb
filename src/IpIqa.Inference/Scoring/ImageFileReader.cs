using System.Buffers;
using IpIqa.Core.Errors;

namespace IpIqa.Inference.Scoring;

/// <summary>Reads an image file into a pooled buffer, refusing missing, empty and oversized files with their codes.</summary>
internal static class ImageFileReader
{
    /// <summary>Reads <paramref name="path"/>; the caller returns the buffer to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static (byte[] Buffer, int Length) Read(string path, long maxBytes)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image '{path}' does not exist.");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or UnauthorizedAccessException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"Image path '{path}' cannot be opened: {ex.Message}", ex);
        }

        if (info.Length == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageEmpty, $"Image '{path}' is empty.");
        }

        if (info.Length > maxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image '{path}' has {info.Length} bytes; the limit is {maxBytes}.");
        }

        var length = (int)info.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
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
            var code = ex is FileNotFoundException or DirectoryNotFoundException ? ErrorCodes.ImageNotFound : ErrorCodes.InternalError;
            throw new IpIqaException(code, $"Image '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
