using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>Image preprocessing the graph expects: RGB, S×S bicubic, then (x/255 - mean) / std, NCHW float32.</summary>
public sealed record BundleInput
{
    public static readonly IReadOnlyList<float> ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly IReadOnlyList<float> ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    [JsonPropertyName("resolution")] public int Resolution { get; init; }
    [JsonPropertyName("mean")] public IReadOnlyList<float> Mean { get; init; } = ClipMean;
    [JsonPropertyName("std")] public IReadOnlyList<float> Std { get; init; } = ClipStd;

    /// <summary>Resize filter. Only <c>bicubic</c> (PIL-compatible, antialiased) is defined.</summary>
    [JsonPropertyName("resize")] public string Resize { get; init; } = "bicubic";
}
