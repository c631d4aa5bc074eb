using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Fusion;

/// <summary>
/// IP-IQA's cross-modality pool (<c>txt_attnpool</c>): the prompt feature is the single query, the
/// feature map (mean token first, with its own positional embedding) gives keys and values.
/// </summary>
public sealed class TextAttentionPool2d : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly Parameter positional_embedding;
    private readonly MultiHeadCrossAttention cross_attn;
#pragma warning restore IDE1006

    public TextAttentionPool2d(int grid, int embedDim, int textDim, int heads, int outputDim)
        : base(nameof(TextAttentionPool2d))
    {
        positional_embedding = Parameter(randn(grid * grid + 1, embedDim) / Math.Sqrt(embedDim));
        cross_attn = new MultiHeadCrossAttention(embedDim, textDim, embedDim, heads, outputDim);
        RegisterComponents();
    }

    /// <summary>featureMap: N C H W; textFeature: N D -> N output_dim.</summary>
    public override Tensor forward(Tensor featureMap, Tensor textFeature)
    {
        using var scope = NewDisposeScope();
        var tokens = PoolTokens.WithMeanToken(featureMap, positional_embedding); // N (HW+1) C
        var pooled = cross_attn.forward(textFeature.unsqueeze(1), tokens); // N 1 output_dim
        return pooled.squeeze(1).MoveToOuterDisposeScope();
    }
}
