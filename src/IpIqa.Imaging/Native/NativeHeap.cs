using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Native;

/// <summary>
/// Gives the C heap's free memory back to the operating system. glibc keeps freed blocks of a few
/// megabytes (the decoders' row and frame chunks) in its per-thread arenas, so a process that decoded
/// large images stays at its peak while idle unless it asks for a trim. Elsewhere this does nothing.
/// <para>
/// A trim is not free: it walks every arena, and the next decode faults the returned pages in again
/// (about 10 ms of CPU per 1024² PNG on a loaded 2-core machine, #16). So it runs only when the free
/// heap holds at least <see cref="TrimAtFreeBytes"/>, a fraction of what one large decode left behind,
/// not after every image of a steady stream.
/// </para>
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Free heap bytes from which a trim is worth its cost; less stays resident for the next decode.</summary>
    public const long TrimAtFreeBytes = 32L * 1024 * 1024;

    private const string Library = "libc.so.6";

    private static readonly Lazy<bool> CanTrim = new(() => HasExport("malloc_trim"));

    // glibc 2.33 and later (Debian 12, Ubuntu 24.04); without it every call trims, as before.
    private static readonly Lazy<bool> CanMeasure = new(() => HasExport("mallinfo2"));

    /// <summary>Trims when the C heap holds at least <see cref="TrimAtFreeBytes"/> free (always, where that cannot be measured).</summary>
    public static void Trim()
    {
        if (CanTrim.Value && (!CanMeasure.Value || (long)MallInfo2().FreeBytes >= TrimAtFreeBytes))
        {
            _ = MallocTrim(0);
        }
    }

    private static bool HasExport(string name) =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out var handle) && NativeLibrary.TryGetExport(handle, name, out _);

    [LibraryImport(Library, EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LibraryImport(Library, EntryPoint = "mallinfo2")]
    private static partial MallInfo MallInfo2();

    /// <summary>glibc's <c>struct mallinfo2</c>, totals over all arenas.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo
    {
        public readonly nuint Arena;
        public readonly nuint OrdinaryBlocks;
        public readonly nuint SmallBlocks;
        public readonly nuint MappedBlocks;
        public readonly nuint MappedBytes;
        public readonly nuint MaxTotalAllocated;
        public readonly nuint FreeFastBinBytes;
        public readonly nuint UsedBytes;
        public readonly nuint FreeBytes;
        public readonly nuint KeepCost;
    }
}
