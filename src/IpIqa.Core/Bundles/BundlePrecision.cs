namespace IpIqa.Core.Bundles;

/// <summary>
/// The element types a bundle graph may compute in (<c>graphs.*.precision</c> in <c>bundle.json</c>).
/// A graph's inputs and outputs are float32 whatever it computes in, so a loader needs no change for
/// fp16; the field tells what the graph is. A graph without the field is fp32 (bundles written
/// before the field existed).
/// </summary>
public static class BundlePrecision
{
    /// <summary>Float32 weights and arithmetic.</summary>
    public const string Fp32 = "fp32";

    /// <summary>Float16 weights and arithmetic, with float32 inputs and outputs (casts at the edges).</summary>
    public const string Fp16 = "fp16";

    /// <summary>
    /// Static QDQ int8: int8 weights and uint8 activations with calibrated scales around the convolutions
    /// and the attention-pool key/value projections, float32 elsewhere and at the edges (CPU deployments).
    /// </summary>
    public const string Int8 = "int8";

    /// <summary>Every precision this build reads.</summary>
    public static IReadOnlyList<string> All { get; } = [Fp32, Fp16, Int8];

    public static bool IsKnown(string? precision) => precision is Fp32 or Fp16 or Int8;
}
