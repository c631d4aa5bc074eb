using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Training.Import;

/// <summary>
/// Resizes an attention-pool positional embedding (<c>1 + g*g</c> rows: the mean token, then a g x g
/// grid row-major) to another grid, as the official <c>interpolate_pos_embed</c> does: the mean-token
/// row is kept, the grid is resized bicubic with align_corners=False. The width is the tensor's.
/// </summary>
public static class PositionalEmbeddingResizer
{
    public static Tensor Resize(Tensor positionalEmbedding, int originalGrid, int newGrid, string key = "attnpool.positional_embedding")
    {
        if (positionalEmbedding.dim() != 2 || positionalEmbedding.shape[0] != (long)originalGrid * originalGrid + 1)
        {
            throw new CheckpointException(
                $"{key}: expected [{originalGrid * originalGrid + 1}, width] for a {originalGrid}x{originalGrid} grid, " +
                $"found [{string.Join(", ", positionalEmbedding.shape)}].");
        }

        if (originalGrid == newGrid)
        {
            return positionalEmbedding.clone();
        }

        using var scope = NewDisposeScope();
        var width = positionalEmbedding.shape[1];
        var source = positionalEmbedding.to(ScalarType.Float32);
        var meanToken = source[..1];
        var grid = source[1..].reshape(originalGrid, originalGrid, width).permute(2, 0, 1).unsqueeze(0); // 1 C g g
        var resized = functional.interpolate(grid, size: [newGrid, newGrid], mode: InterpolationMode.Bicubic, align_corners: false);
        var rows = resized.squeeze(0).permute(1, 2, 0).reshape(newGrid * newGrid, width); // (g'g') C
        return cat([meanToken, rows], 0).to(positionalEmbedding.dtype).MoveToOuterDisposeScope();
    }
}
