using System.Text.Json.Serialization;

namespace IpIqa.Imaging.Benchmarks;

/// <summary>
/// One preprocessing benchmark run. <see cref="MsPerImage"/> is the cost per image on one core
/// (wall time × threads ÷ images); <see cref="ImagesPerSecond"/> is the throughput of all threads;
/// <see cref="CpuMsPerImage"/> is the process's CPU time per image, which stays meaningful on a busy machine.
/// </summary>
public sealed record PreprocessBenchmarkResult(
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("ms_per_image")] double MsPerImage,
    [property: JsonPropertyName("images_per_s")] double ImagesPerSecond,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("decoder")] string Decoder,
    [property: JsonPropertyName("cpu_ms_per_image")] double CpuMsPerImage)
{
    /// <summary>The garbage collector's share of the timed passes.</summary>
    [JsonPropertyName("gc")]
    public GcShare? Gc { get; init; }
}
