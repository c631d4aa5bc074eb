using System.Text.Json.Serialization;

namespace IpIqa.Cli.Benchmarks;

/// <summary>The process's memory after <see cref="Images"/> timed images (0: before the timed run), in MiB.</summary>
internal sealed record MemorySample(
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("working_set_mb")] double WorkingSetMb,
    [property: JsonPropertyName("private_mb")] double PrivateMb,
    [property: JsonPropertyName("managed_mb")] double ManagedMb,
    [property: JsonPropertyName("gc_heap_mb")] double GcHeapMb,
    [property: JsonPropertyName("gc_committed_mb")] double GcCommittedMb,
    [property: JsonPropertyName("gen0")] int Gen0,
    [property: JsonPropertyName("gen1")] int Gen1,
    [property: JsonPropertyName("gen2")] int Gen2)
{
    private const double Mb = 1024 * 1024;

    /// <summary>Reads the current figures; <see cref="Environment.WorkingSet"/> is resident memory, native included (ONNX Runtime, codecs).</summary>
    public static MemorySample Take(int images, string label)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        return new MemorySample(
            images,
            label,
            Round(Environment.WorkingSet),
            Round(process.PrivateMemorySize64),
            Round(GC.GetTotalMemory(forceFullCollection: false)),
            Round(info.HeapSizeBytes),
            Round(info.TotalCommittedBytes),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2));
    }

    private static double Round(long bytes) => Math.Round(bytes / Mb, 1);
}
