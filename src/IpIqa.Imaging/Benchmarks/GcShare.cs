using System.Text.Json.Serialization;

namespace IpIqa.Imaging.Benchmarks;

/// <summary>The garbage collector's share of a timed run: managed bytes allocated and pause time per image, and collections by generation.</summary>
public sealed record GcShare(
    [property: JsonPropertyName("allocated_kb_per_image")] double AllocatedKbPerImage,
    [property: JsonPropertyName("pause_ms_per_image")] double PauseMsPerImage,
    [property: JsonPropertyName("gen0")] int Gen0,
    [property: JsonPropertyName("gen1")] int Gen1,
    [property: JsonPropertyName("gen2")] int Gen2);
