using IpIqa.Core.Errors;

namespace IpIqa.Core.Jobs;

/// <summary>Image files of the rescoring sources, sized and read by what a link points to, never by the link itself.</summary>
public static class ImageFiles
{
    /// <summary>The file at <paramref name="path"/>, or the final target of the link there (its length and time are the target's).</summary>
    public static FileInfo Target(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }

    /// <summary>Reads <paramref name="path"/>, capped at <paramref name="maxBytes"/> by the length of the file opened.</summary>
    public static async Task<byte[]> ReadAsync(string path, string name, long maxBytes, CancellationToken cancellationToken)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"'{name}' does not exist.", ex);
        }

        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            if (length > maxBytes)
            {
                throw new IpIqaException(ErrorCodes.ImageTooLarge, $"'{name}' has {length} bytes; the limit is {maxBytes}.");
            }

            var bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return bytes[..read];
                }

                read += n;
            }

            return bytes;
        }
    }
}
