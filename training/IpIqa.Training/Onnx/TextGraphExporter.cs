using IpIqa.Core.Bundles;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// The text graph: <c>input_ids</c> int64 [N, L] → <c>text_features</c> float32 [N, embed_dim], with
/// L ≤ context_length: the full padded ids, or the ids cut anywhere after the end-of-text token
/// (under the causal mask later positions never reach the feature, so the result is the same and
/// the serving engine runs each batch only as far as its longest prompt).
/// Token embedding (<c>wte</c>) + <c>txt_pos</c> → causal pre-LN transformer (<c>txt_model.resblocks.*</c>)
/// → <c>ln_final</c> → the feature at the end-of-text position (the argmax of the ids) → <c>text_projection</c>.
/// With <c>text_feature = qa_token</c> the learnable <c>qa_token</c> embedding takes the feature
/// position, by the rule of docs/model.md.
/// </summary>
public static class TextGraphExporter
{
    public const string InputIdsInput = "input_ids";
    public const string TextFeaturesOutput = "text_features";
    public const string QaTokenKey = "qa_token";

    public static GraphBuilder Build(BundleArchitecture arch, WeightSet weights)
    {
        ArchitectureDims.From(arch);
        long width = arch.TransformerWidth;
        long length = arch.ContextLength;
        var g = new GraphBuilder("ipiqa_text");
        var ids = g.Input(InputIdsInput, TensorElementType.Int64, "N", "L");
        var sequence = g.Slice(g.Node("Shape", [ids]), axis: 0, start: 1, end: 2); // [L]

        g.Scope = "embedding";
        var x = g.Gather(g.Initializer("wte.weight", weights.Require("wte.weight", arch.VocabSize, width)), ids); // N L W
        // The feature position: the end-of-text token has the highest id. ArgMax runs on float ids
        // (exact: ids < 2^24) because ONNX Runtime's CUDA ArgMax has no int64 kernel, and an int64
        // ArgMax would pull the ids back to the CPU.
        var position = g.ArgMax(g.Node("Cast", [ids], OnnxAttribute.Integer("to", 1L)), axis: -1, keepDims: false); // N
        if (arch.TextFeature == "qa_token")
        {
            // docs/model.md: p = min(argmax(ids), context_length - 2); the [QA] embedding replaces the
            // token embedding at p and the feature is read at p. Under the causal mask this equals
            // inserting [QA] after the last real token, before end-of-text.
            position = g.Min(position, g.Int64s(length - 2));
            var positions = SliceTo(g, g.Int64s(Enumerable.Range(0, (int)length).Select(i => (long)i).ToArray()), sequence); // L
            var atPosition = g.Unsqueeze(g.Equal(positions, g.Unsqueeze(position, 1)), 2); // N L 1
            x = g.Where(atPosition, g.Initializer(QaTokenKey, weights.Require(QaTokenKey, width)), x);
        }

        x = g.Add(x, SliceTo(g, g.Initializer("txt_pos", weights.Require("txt_pos", length, width)), sequence));
        var mask = g.Node("Slice", [g.Initializer("causal_mask", CausalMask(length)), g.Int64s(0, 0), g.Concat(0, sequence, sequence), g.Int64s(0, 1)]); // L L
        for (var layer = 0; layer < arch.TransformerLayers; layer++)
        {
            x = ResidualBlock(g, weights, x, $"txt_model.resblocks.{layer}", width, arch.TransformerHeads, mask);
        }

        g.Scope = "ln_final";
        x = g.LayerNorm(x, Weight(g, weights, "ln_final.weight", width), Weight(g, weights, "ln_final.bias", width));

        // N L W -> N W at the feature position, then @ text_projection: N E.
        var features = g.GatherND(x, g.Unsqueeze(position, 1), batchDims: 1);
        features = g.MatMul(features, Weight(g, weights, "text_projection", width, arch.EmbedDim));
        g.Scope = "";
        g.Output(features, TextFeaturesOutput, TensorElementType.Float32, "N", arch.EmbedDim);
        return g;
    }

    private static OnnxValue ResidualBlock(GraphBuilder g, WeightSet w, OnnxValue x, string p, long width, int heads, OnnxValue mask)
    {
        g.Scope = p;
        var h = g.LayerNorm(x, Weight(g, w, $"{p}.ln_1.weight", width), Weight(g, w, $"{p}.ln_1.bias", width));
        var qkv = g.Split(
            g.Linear(h, Weight(g, w, $"{p}.attn.in_proj_weight", 3 * width, width), Weight(g, w, $"{p}.attn.in_proj_bias", 3 * width)),
            axis: -1,
            parts: 3);
        var attention = AttentionGraph.MultiHead(g, qkv[0], qkv[1], qkv[2], (int)width, heads, mask);
        attention = g.Linear(attention, Weight(g, w, $"{p}.attn.out_proj.weight", width, width), Weight(g, w, $"{p}.attn.out_proj.bias", width));
        x = g.Add(x, attention);

        h = g.LayerNorm(x, Weight(g, w, $"{p}.ln_2.weight", width), Weight(g, w, $"{p}.ln_2.bias", width));
        h = g.Linear(h, Weight(g, w, $"{p}.mlp.c_fc.weight", 4 * width, width), Weight(g, w, $"{p}.mlp.c_fc.bias", 4 * width));
        h = g.Mul(h, g.Sigmoid(g.Mul(h, g.Scalar(1.702f)))); // QuickGELU
        h = g.Linear(h, Weight(g, w, $"{p}.mlp.c_proj.weight", width, 4 * width), Weight(g, w, $"{p}.mlp.c_proj.bias", width));
        return g.Add(x, h);
    }

    /// <summary>Additive causal mask: 0 on and below the diagonal, -inf above.</summary>
    private static TensorData CausalMask(long length) => TensorData.CreateFloats([length, length], mask =>
    {
        for (var row = 0; row < length; row++)
        {
            for (var col = 0; col < length; col++)
            {
                mask[(int)((row * length) + col)] = col > row ? float.NegativeInfinity : 0f;
            }
        }
    });

    /// <summary>The first <paramref name="count"/> ([1] int64) rows of <paramref name="x"/>.</summary>
    private static OnnxValue SliceTo(GraphBuilder g, OnnxValue x, OnnxValue count) => g.Node("Slice", [x, g.Int64s(0), count, g.Int64s(0)]);

    private static OnnxValue Weight(GraphBuilder g, WeightSet w, string name, params long[] shape) => g.Initializer(name, w.Require(name, shape));
}
