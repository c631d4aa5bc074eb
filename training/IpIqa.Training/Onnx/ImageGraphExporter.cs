using IpIqa.Core.Bundles;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// The image + fusion graph: <c>pixels</c> [N, 3, S, S] and <c>text_features</c> [N, embed_dim] →
/// <c>scores</c> [N, output_dim], with the intermediates <c>visual_pooled</c> and <c>text_pooled</c>, and
/// <c>attention</c> [N, grid, grid]: where the prompt's query looked on the feature map (see <see cref="AttentionOutput"/>).
/// ResNet trunk → AttentionPool2d (mean token as the query) and TextAttentionPool2d (the projected
/// text feature as the query) over the same feature map → concat → head.
/// </summary>
public static class ImageGraphExporter
{
    public const string PixelsInput = "pixels";
    public const string TextFeaturesInput = "text_features";
    public const string ScoresOutput = "scores";
    public const string VisualPooledOutput = "visual_pooled";
    public const string TextPooledOutput = "text_pooled";

    /// <summary>
    /// The text-queried pool's attention weights over the spatial tokens, averaged over its heads:
    /// [N, grid, grid] with grid = S / 32 (7×7 at 224, 16×16 at 512), row-major as the feature map.
    /// The weight on the pool's mean token is left out and the map is not renormalised, so a map
    /// sums to 1 minus that weight.
    /// </summary>
    public const string AttentionOutput = BundleGraphNames.Attention;

    public static GraphBuilder Build(BundleArchitecture arch, WeightSet weights)
    {
        var dims = ArchitectureDims.From(arch);
        var g = new GraphBuilder("ipiqa_image");
        var pixels = g.Input(PixelsInput, TensorElementType.Float32, "N", 3, arch.InputResolution, arch.InputResolution);
        var textFeatures = g.Input(TextFeaturesInput, TensorElementType.Float32, "N", arch.EmbedDim);

        var features = new ResNetGraph(g, weights).Forward(pixels, arch.VisionWidth, arch.VisionLayers);

        // NCHW -> N(HW)C, then prepend the mean token: N(HW+1)C.
        g.Scope = "tokens";
        var tokens = g.Transpose(g.Reshape(features, 0, 0, -1), 0, 2, 1);
        tokens = g.Concat(1, g.ReduceMean(tokens, 1), tokens);

        var visual = VisualAttentionPool(g, weights, tokens, dims);
        var (text, attention) = TextAttentionPool(g, weights, tokens, textFeatures, dims, arch);
        var scores = Head(g, weights, g.Concat(1, visual, text), arch);

        g.Output(scores, ScoresOutput, TensorElementType.Float32, "N", arch.OutputDim);
        g.Output(visual, VisualPooledOutput, TensorElementType.Float32, "N", arch.EmbedDim);
        g.Output(text, TextPooledOutput, TensorElementType.Float32, "N", arch.EmbedDim);
        g.Output(attention, AttentionOutput, TensorElementType.Float32, "N", dims.Grid, dims.Grid);
        return g;
    }

    private static OnnxValue VisualAttentionPool(GraphBuilder g, WeightSet w, OnnxValue tokens, ArchitectureDims d)
    {
        const string p = "attnpool";
        g.Scope = p;
        long c = d.FeatureWidth;
        var x = g.Add(tokens, g.Initializer($"{p}.positional_embedding", w.Require($"{p}.positional_embedding", d.Tokens, c)));
        var q = g.Linear(g.Slice(x, axis: 1, start: 0, end: 1), Weight(g, w, $"{p}.q_proj.weight", c, c), Weight(g, w, $"{p}.q_proj.bias", c));
        var k = g.Linear(x, Weight(g, w, $"{p}.k_proj.weight", c, c), Weight(g, w, $"{p}.k_proj.bias", c));
        var v = g.Linear(x, Weight(g, w, $"{p}.v_proj.weight", c, c), Weight(g, w, $"{p}.v_proj.bias", c));
        var context = AttentionGraph.MultiHead(g, q, k, v, d.FeatureWidth, d.VisionHeads); // N 1 C
        var pooled = g.Linear(context, Weight(g, w, $"{p}.c_proj.weight", d.EmbedDim, c), Weight(g, w, $"{p}.c_proj.bias", d.EmbedDim));
        return g.Reshape(pooled, 0, -1); // N E
    }

    private static (OnnxValue Pooled, OnnxValue Attention) TextAttentionPool(GraphBuilder g, WeightSet w, OnnxValue tokens, OnnxValue textFeatures, ArchitectureDims d, BundleArchitecture arch)
    {
        const string p = "txt_attnpool";
        const string a = "txt_attnpool.cross_attn";
        g.Scope = p;
        long c = d.FeatureWidth;
        var x = g.Add(tokens, g.Initializer($"{p}.positional_embedding", w.Require($"{p}.positional_embedding", d.Tokens, c)));
        var q = g.Gemm(textFeatures, Weight(g, w, $"{a}.q_proj.weight", c, d.EmbedDim), Weight(g, w, $"{a}.q_proj.bias", c));
        q = g.Reshape(q, 0, 1, -1); // N C -> N 1 C
        var k = g.Linear(x, Weight(g, w, $"{a}.k_proj.weight", c, c), Weight(g, w, $"{a}.k_proj.bias", c));
        var v = g.Linear(x, Weight(g, w, $"{a}.v_proj.weight", c, c), Weight(g, w, $"{a}.v_proj.bias", c));
        var (context, weights) = AttentionGraph.MultiHeadWithWeights(g, q, k, v, d.FeatureWidth, arch.TxtPoolHeads);
        var pooled = g.Linear(context, Weight(g, w, $"{a}.out_proj.weight", d.EmbedDim, c), Weight(g, w, $"{a}.out_proj.bias", d.EmbedDim));

        // N H 1 (1+HW) -> the spatial keys N H 1 HW -> mean over heads N 1 HW -> N grid grid.
        var spatial = g.Slice(weights, axis: 3, start: 1, end: d.Tokens);
        var attention = g.Reshape(g.ReduceMean(spatial, 1, keepDims: false), 0, d.Grid, d.Grid);
        return (g.Reshape(pooled, 0, -1), attention);
    }

    private static OnnxValue Head(GraphBuilder g, WeightSet w, OnnxValue features, BundleArchitecture arch)
    {
        g.Scope = "head";
        long inDim = 2L * arch.EmbedDim;
        OnnxValue scores;
        if (arch.Head == "mlp")
        {
            var hidden = g.Tanh(g.Gemm(features, Weight(g, w, "head.dense.weight", inDim, inDim), Weight(g, w, "head.dense.bias", inDim)));
            scores = g.Gemm(hidden, Weight(g, w, "head.out_proj.weight", arch.OutputDim, inDim), Weight(g, w, "head.out_proj.bias", arch.OutputDim));
        }
        else
        {
            scores = g.Gemm(features, Weight(g, w, "head.weight", arch.OutputDim, inDim), Weight(g, w, "head.bias", arch.OutputDim));
        }

        g.Scope = "";
        return scores;
    }

    private static OnnxValue Weight(GraphBuilder g, WeightSet w, string name, params long[] shape) => g.Initializer(name, w.Require(name, shape));
}
