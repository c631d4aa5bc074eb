using System.Runtime.InteropServices;

namespace IpIqa.Imaging.Native;

/// <summary>
/// Gives the C heap's free memory back to the operating system. glibc keeps freed blocks of a few
/// megabytes (the decoders' row and frame chunks) in its per-thread arenas, so a process that decoded
/// large images stays at its peak while idle unless it asks for a trim. Elsewhere this does nothing.
/// </summary>
internal static partial class NativeHeap
{
    private const string Library = "libc.so.6";

    private static readonly Lazy<bool> CanTrim = new(() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out var handle) && NativeLibrary.TryGetExport(handle, "malloc_trim", out _));

    public static void Trim()
    {
        if (CanTrim.Value)
        {
            _ = MallocTrim(0);
        }
    }

    [LibraryImport(Library, EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
