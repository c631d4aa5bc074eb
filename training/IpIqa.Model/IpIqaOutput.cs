using static TorchSharp.torch;

namespace IpIqa.Model;

/// <summary>
/// Scores and the intermediates the reference exposes, all batch-first:
/// <see cref="Scores"/> N x output_dim (quality, alignment); <see cref="TextFeatures"/> N x embed_dim
/// (projected prompt feature); <see cref="VisualPooled"/> and <see cref="TextPooled"/> N x embed_dim
/// (the two pools whose concatenation feeds the head).
/// </summary>
public sealed record IpIqaOutput(Tensor Scores, Tensor TextFeatures, Tensor VisualPooled, Tensor TextPooled) : IDisposable
{
    public void Dispose()
    {
        Scores.Dispose();
        TextFeatures.Dispose();
        VisualPooled.Dispose();
        TextPooled.Dispose();
    }
}
