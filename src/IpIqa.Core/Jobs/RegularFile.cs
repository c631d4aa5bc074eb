using System.Runtime.InteropServices;
using IpIqa.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace IpIqa.Core.Jobs;

/// <summary>
/// An open regular file: opened without blocking (a FIFO never stalls the open) and, unless asked to
/// follow links, with no link in any component of the path; then checked on the open descriptor, so the type,
/// length and modification time are those of the file that is read, never of a link or of a file
/// swapped in after a check. Every image file the project reads is opened here.
/// </summary>
public sealed partial class RegularFile : IDisposable
{
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;
    private const int StatxEmptyPath = 0x1000;
    private const int StatxNoFollow = 0x100;
    private const int CurrentDirectory = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int FileTypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;
    private const int LinkType = 0xA000;
    private const int NoSuchEntry = 2;
    private const int TooManyLinks = 40;
    private const int NoSuchCall = 38;
    private const int NotPermitted = 1;
    private const long OpenAt2Call = 437;
    private const ulong ResolveNoSymlinks = 0x04;
    private static bool _noOpenAt2;

    private RegularFile(SafeFileHandle handle, long length, DateTime modifiedUtc)
    {
        Handle = handle;
        Length = length;
        ModifiedUtc = modifiedUtc;
    }

    public SafeFileHandle Handle { get; }

    public long Length { get; }

    public DateTime ModifiedUtc { get; }

    /// <summary>
    /// Opens <paramref name="fullPath"/> for reading. Without <paramref name="followLinks"/> (the
    /// worker's confined paths, whose links it resolved itself) a link at any component of the path is
    /// <c>source_not_allowed</c> (openat2 with RESOLVE_NO_SYMLINKS, Linux 5.6; on an older kernel only a final link is
    /// refused), so a folder swapped for a link after the path was checked is not followed out of the root;
    /// with it, a link is read as its final target. A directory, device, FIFO or socket is
    /// <c>image_not_a_file</c>; a missing file, or a path that cannot be opened, is <c>image_not_found</c>.
    /// <paramref name="name"/> is how messages name the image, <paramref name="where"/> (such as
    /// " under IpIqa:Local:ImageRoot") where it was looked for, <paramref name="noun"/> what the file is to the reader
    /// (a bundle's files are not images).
    /// </summary>
    public static RegularFile Open(string fullPath, string name, bool followLinks = false, string where = "", string noun = "Image")
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        if (fullPath.Length == 0 || fullPath.Contains('\0', StringComparison.Ordinal))
        {
            // A NUL would end the path early in the native call, which would then open another file.
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"{noun} '{name}' cannot be opened: the path is empty or holds a NUL character.");
        }

        if (!OperatingSystem.IsLinux())
        {
            return OpenPortable(fullPath, name, where, noun);
        }

        // The type is checked on the path first (a socket cannot be opened at all), then again on the open file.
        var statFlags = followLinks ? 0 : StatxNoFollow;
        if (Statx(CurrentDirectory, fullPath, statFlags, StatxBasicStats, out var before) == 0)
        {
            Refuse(before.Mode, name, noun);
        }

        var flags = OpenReadOnly | OpenNonBlocking | OpenCloseOnExec;
        var fd = followLinks ? OpenNative(fullPath, flags) : OpenWithoutLinks(fullPath, flags);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                NoSuchEntry => new IpIqaException(ErrorCodes.ImageNotFound, $"{noun} '{name}' does not exist{where}."),
                TooManyLinks when !followLinks => new IpIqaException(ErrorCodes.SourceNotAllowed, $"{noun} '{name}' changed into a link while it was opened."),
                _ => new IpIqaException(ErrorCodes.ImageNotFound, $"{noun} '{name}' cannot be opened: {Marshal.GetPInvokeErrorMessage(errno)}."),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Statx(fd, string.Empty, StatxEmptyPath, StatxBasicStats, out var stat) != 0)
            {
                throw new IpIqaException(ErrorCodes.InternalError, $"{noun} '{name}' cannot be examined: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
            }

            Refuse(stat.Mode, name, noun);

            var modified = DateTime.UnixEpoch.AddSeconds(stat.ModifiedSeconds).AddTicks(stat.ModifiedNanoseconds / 100);
            return new RegularFile(handle, (long)stat.Size, modified);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads from the file's start into <paramref name="buffer"/> until it is full or the file ends; the number of bytes read.</summary>
    public int ReadFromStart(Span<byte> buffer)
    {
        var read = 0;
        for (int n; read < buffer.Length && (n = RandomAccess.Read(Handle, buffer[read..], read)) > 0;)
        {
            read += n;
        }

        return read;
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>Opens with no link anywhere in the path; where openat2 is missing (or filtered), with O_NOFOLLOW on the last component.</summary>
    private static int OpenWithoutLinks(string fullPath, int flags)
    {
        if (!_noOpenAt2)
        {
            var how = new OpenHow { Flags = (ulong)flags, Mode = 0, Resolve = ResolveNoSymlinks };
            var fd = (int)OpenAt2(OpenAt2Call, CurrentDirectory, fullPath, ref how, (nuint)24);
            if (fd >= 0 || Marshal.GetLastPInvokeError() is not (NoSuchCall or NotPermitted))
            {
                return fd;
            }

            _noOpenAt2 = true;
        }

        return OpenNative(fullPath, flags | NoFollowFlag());
    }

    private static void Refuse(ushort mode, string name, string noun)
    {
        var type = mode & FileTypeMask;
        if (type != RegularType)
        {
            throw new IpIqaException(ErrorCodes.ImageNotAFile, $"{noun} '{name}' is {Describe(type)}, not a regular file.");
        }
    }

    private static string Describe(int type) => type switch
    {
        DirectoryType => "a directory",
        LinkType => "a link",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    /// <summary>O_NOFOLLOW: 0100000 on Arm and PowerPC, 0400000 on the generic and x86 ABIs.</summary>
    private static int NoFollowFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 or Architecture.Arm or Architecture.Armv6 or Architecture.Ppc64le => 0x8000,
        _ => 0x20000,
    };

    /// <summary>Other systems (development only): the type is checked before the open.</summary>
    private static RegularFile OpenPortable(string fullPath, string name, string where, string noun)
    {
        if (Directory.Exists(fullPath))
        {
            throw new IpIqaException(ErrorCodes.ImageNotAFile, $"{noun} '{name}' is a directory, not a regular file.");
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"{noun} '{name}' does not exist{where}.", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or UnauthorizedAccessException or IOException)
        {
            throw new IpIqaException(ErrorCodes.ImageNotFound, $"{noun} '{name}' cannot be opened: {ex.Message}", ex);
        }

        return new RegularFile(handle, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(fullPath));
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    /// <summary>openat2(2) through syscall(2): glibc has no wrapper for it.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long OpenAt2(long number, int directory, string path, ref OpenHow how, nuint size);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>struct open_how (linux/openat2.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>struct statx (linux/stat.h): the same layout on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(112)]
        public long ModifiedSeconds;

        [FieldOffset(120)]
        public uint ModifiedNanoseconds;
    }
}
