namespace IpIqa.TestSupport;

/// <summary>
/// The one form of skip CI accepts. A test that cannot run here by design (no GPU, a CUDA build
/// only) skips with <see cref="ByDesign"/>; <c>.ci/check-skips.py</c> fails CI on any other skip,
/// so a missing fixture or tool (<see cref="Fixtures.MissingReason"/>, Node.js, Chromium,
/// python3-onnx) never passes unnoticed.
/// </summary>
public static class SkipReasons
{
    /// <summary>The prefix CI looks for at the start of a skip reason.</summary>
    public const string ByDesignPrefix = "By design: ";

    /// <summary>A skip reason CI accepts: <paramref name="why"/> after <see cref="ByDesignPrefix"/>.</summary>
    public static string ByDesign(string why)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        return ByDesignPrefix + why;
    }
}
