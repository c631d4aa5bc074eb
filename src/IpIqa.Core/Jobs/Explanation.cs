namespace IpIqa.Core.Jobs;

/// <summary>One scored item's explanation: the attention overlay as PNG bytes and the raw map as JSON bytes.</summary>
public sealed record Explanation(byte[] OverlayPng, byte[] AttentionJson)
{
    /// <summary>The overlay's file name suffix (after the stem).</summary>
    public const string OverlaySuffix = ".overlay.png";

    /// <summary>The raw map's file name suffix (after the stem).</summary>
    public const string AttentionSuffix = ".attention.json";
}
