using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Bundles;

/// <summary>
/// Reads the files of a model bundle (its manifest, graphs and tokenizer files), which may come from an untrusted
/// place: each is opened as a <see cref="RegularFile"/> (without blocking, checked on the open descriptor), so a
/// FIFO, device or socket in the bundle, or a link to one such as <c>/dev/zero</c>, is refused with its name instead
/// of hanging the load or hashing for ever; <c>bundle.json</c> is read only up to <see cref="MaxManifestBytes"/>.
/// </summary>
public static class BundleFile
{
    /// <summary>Largest <c>bundle.json</c> read, in bytes (1 MiB; a manifest is a few kilobytes).</summary>
    public const int MaxManifestBytes = 1 << 20;

    /// <summary>A stream over the regular file at <paramref name="path"/>; <paramref name="what"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The file is missing, cannot be opened, or is not a regular file.</exception>
    public static FileStream OpenRead(string path, string what)
    {
        RegularFile file;
        try
        {
            file = RegularFile.Open(path, what, followLinks: true, noun: "Bundle file");
        }
        catch (IpIqaException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        try
        {
            return new FileStream(file.Handle, FileAccess.Read, 1 << 16);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of the manifest at <paramref name="path"/>, refused past <see cref="MaxManifestBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read, is not a regular file, or is too large.</exception>
    public static byte[] ReadManifest(string path)
    {
        using var stream = OpenRead(path, BundleManifest.FileName);
        var buffer = new byte[MaxManifestBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        if (length > MaxManifestBytes)
        {
            throw new InvalidDataException($"{path} has more than {MaxManifestBytes} bytes; a bundle manifest is a few kilobytes.");
        }

        return buffer[..length];
    }
}
