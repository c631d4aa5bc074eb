using IpIqa.Core.Bundles;

namespace IpIqa.Training.Tests.Support;

/// <summary>
/// Random weights with every official IP-IQA key for an architecture (eot text feature), as float
/// arrays the way a TorchSharp state dict yields them. Norm layers are identity; other tensors are
/// uniform in ±1/√fan-in, so activations stay finite at full depth.
/// </summary>
internal static class SyntheticWeights
{
    public static Dictionary<string, (float[] Data, long[] Shape)> Create(BundleArchitecture a, int seed)
    {
        var state = (uint)seed | 1u;
        var weights = new Dictionary<string, (float[], long[])>(StringComparer.Ordinal);
        void Random(string name, params long[] shape) => weights[name] = (Uniform(ref state, shape), shape);
        void Fill(string name, float value, params long[] shape) => weights[name] = (Enumerable.Repeat(value, (int)shape.Aggregate(1L, (x, y) => x * y)).ToArray(), shape);
        void Norm(string name, long width, bool batchNorm)
        {
            Fill($"{name}.weight", 1f, width);
            Fill($"{name}.bias", 0f, width);
            if (batchNorm)
            {
                Fill($"{name}.running_mean", 0f, width);
                Fill($"{name}.running_var", 1f, width);
            }
        }

        void Linear(string name, long outDim, long inDim)
        {
            Random($"{name}.weight", outDim, inDim);
            Random($"{name}.bias", outDim);
        }

        long w = a.VisionWidth, c = a.VisionWidth * 32L, e = a.EmbedDim, t = a.TransformerWidth, tokens = ((a.InputResolution / 32L) * (a.InputResolution / 32L)) + 1;
        Random("resnet50.conv1.weight", w / 2, 3, 3, 3);
        Norm("resnet50.bn1", w / 2, true);
        Random("resnet50.conv2.weight", w / 2, w / 2, 3, 3);
        Norm("resnet50.bn2", w / 2, true);
        Random("resnet50.conv3.weight", w, w / 2, 3, 3);
        Norm("resnet50.bn3", w, true);
        var inplanes = w;
        for (var stage = 0; stage < 4; stage++)
        {
            var planes = w << stage;
            for (var block = 0; block < a.VisionLayers[stage]; block++)
            {
                var p = $"resnet50.layer{stage + 1}.{block}";
                Random($"{p}.conv1.weight", planes, inplanes, 1, 1);
                Norm($"{p}.bn1", planes, true);
                Random($"{p}.conv2.weight", planes, planes, 3, 3);
                Norm($"{p}.bn2", planes, true);
                Random($"{p}.conv3.weight", planes * 4, planes, 1, 1);
                Norm($"{p}.bn3", planes * 4, true);
                if (block == 0)
                {
                    Random($"{p}.downsample.0.weight", planes * 4, inplanes, 1, 1);
                    Norm($"{p}.downsample.1", planes * 4, true);
                }

                inplanes = planes * 4;
            }
        }

        Random("attnpool.positional_embedding", tokens, c);
        Linear("attnpool.q_proj", c, c);
        Linear("attnpool.k_proj", c, c);
        Linear("attnpool.v_proj", c, c);
        Linear("attnpool.c_proj", e, c);

        Random("wte.weight", a.VocabSize, t);
        Random("txt_pos", a.ContextLength, t);
        for (var layer = 0; layer < a.TransformerLayers; layer++)
        {
            var p = $"txt_model.resblocks.{layer}";
            Random($"{p}.attn.in_proj_weight", 3 * t, t);
            Random($"{p}.attn.in_proj_bias", 3 * t);
            Linear($"{p}.attn.out_proj", t, t);
            Norm($"{p}.ln_1", t, false);
            Linear($"{p}.mlp.c_fc", 4 * t, t);
            Linear($"{p}.mlp.c_proj", t, 4 * t);
            Norm($"{p}.ln_2", t, false);
        }

        Norm("ln_final", t, false);
        Random("text_projection", t, e);

        Random("txt_attnpool.positional_embedding", tokens, c);
        Linear("txt_attnpool.cross_attn.q_proj", c, e);
        Linear("txt_attnpool.cross_attn.k_proj", c, c);
        Linear("txt_attnpool.cross_attn.v_proj", c, c);
        Linear("txt_attnpool.cross_attn.out_proj", e, c);
        Linear("head", a.OutputDim, 2 * e);
        return weights;
    }

    /// <summary>xorshift32: cheap enough for a hundred million values.</summary>
    private static float[] Uniform(ref uint state, long[] shape)
    {
        var count = (int)shape.Aggregate(1L, (x, y) => x * y);
        var fanIn = shape.Length > 1 ? shape.Skip(1).Aggregate(1L, (x, y) => x * y) : shape[0];
        var bound = (float)(1.0 / Math.Sqrt(fanIn));
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            values[i] = ((state * (2f / uint.MaxValue)) - 1f) * bound;
        }

        return values;
    }
}
