namespace IpIqa.Imaging.Tests;

/// <summary>The process's resident memory from <c>/proc/self/status</c> (Linux), with a resettable peak.</summary>
internal static class ProcessMemory
{
    /// <summary>Resident bytes now (VmRSS).</summary>
    public static long Resident() => Read("VmRSS:");

    /// <summary>The most resident bytes since the last <see cref="ResetPeak"/> (VmHWM).</summary>
    public static long Peak() => Read("VmHWM:");

    /// <summary>Starts a new peak from the current resident size.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>Collects garbage so that only live memory stays resident.</summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }
}
