using static TorchSharp.torch;

namespace IpIqa.Model.Fusion;

/// <summary>The token sequence both attention pools attend over.</summary>
internal static class PoolTokens
{
    /// <summary>N C H W -> N (HW+1) C: the spatial mean first, then the cells row-major, plus the positional embedding.</summary>
    public static Tensor WithMeanToken(Tensor featureMap, Tensor positionalEmbedding)
    {
        using var scope = NewDisposeScope();
        var cells = featureMap.flatten(2).transpose(1, 2); // N C H W -> N (HW) C
        if (cells.shape[1] + 1 != positionalEmbedding.shape[0])
        {
            throw new ArgumentException(
                $"The feature map has {cells.shape[1]} cells but the positional embedding has {positionalEmbedding.shape[0] - 1}; " +
                "the input resolution does not match the model's input_resolution.");
        }

        var tokens = cat([cells.mean([1], keepdim: true), cells], 1);
        return tokens.Plus(positionalEmbedding.unsqueeze(0)).MoveToOuterDisposeScope();
    }
}
