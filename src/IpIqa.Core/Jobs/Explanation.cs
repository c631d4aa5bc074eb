using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// One scored item's explanation: the attention overlay as PNG bytes, the raw map as JSON bytes and, when asked for,
/// the per-word attribution (also in the JSON).
/// </summary>
public sealed record Explanation(byte[] OverlayPng, byte[] AttentionJson)
{
    /// <summary>Each prompt word and the alignment without it; null when words were not asked for.</summary>
    public IReadOnlyList<WordAttribution>? Words { get; init; }

    /// <summary>The overlay's file name suffix (after the stem).</summary>
    public const string OverlaySuffix = ".overlay.png";

    /// <summary>The raw map's file name suffix (after the stem).</summary>
    public const string AttentionSuffix = ".attention.json";
}
