using IpIqa.Model.Fusion;
using IpIqa.Model.Text;
using IpIqa.Model.Vision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model;

/// <summary>
/// IP-IQA: a CLIP ModifiedResNet image trunk, CLIP's text tower, CLIP's attention pool
/// (<c>attnpool</c>) and a prompt-queried attention pool (<c>txt_attnpool</c>) over the same feature
/// map, and a head on their concatenation. Registered names equal the official state-dict keys.
/// </summary>
public sealed class IpIqaModel : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly ModifiedResNet resnet50;
    private readonly AttentionPool2d attnpool;
    private readonly TextTransformer txt_model;
    private readonly Embedding wte;
    private readonly LayerNorm ln_final;
    private readonly Parameter txt_pos;
    private readonly Parameter text_projection;
    private readonly TextAttentionPool2d txt_attnpool;
    private readonly Module<Tensor, Tensor> head;
    private readonly Parameter? qa_token;
#pragma warning restore IDE1006

    public IpIqaModel(IpIqaConfig config)
        : base(nameof(IpIqaModel))
    {
        Config = config.Validate();
        var featureDim = config.VisionFeatureDim;

        resnet50 = new ModifiedResNet(config.VisionLayers, config.VisionWidth);
        attnpool = new AttentionPool2d(config.Grid, featureDim, config.VisionHeads, config.EmbedDim);
        txt_model = new TextTransformer(config.TransformerWidth, config.TransformerLayers, config.TransformerHeads);
        wte = Embedding(config.VocabSize, config.TransformerWidth);
        ln_final = LayerNorm(config.TransformerWidth);
        txt_pos = Parameter(randn(config.ContextLength, config.TransformerWidth) * 0.01);
        text_projection = Parameter(randn(config.TransformerWidth, config.EmbedDim) / Math.Sqrt(config.TransformerWidth));
        txt_attnpool = new TextAttentionPool2d(config.Grid, featureDim, config.EmbedDim, config.TxtPoolHeads, config.EmbedDim);
        head = config.Head == IpIqaConfig.HeadMlp
            ? new MlpHead(config.EmbedDim * 2, config.OutputDim, config.Dropout)
            : Linear(config.EmbedDim * 2, config.OutputDim);
        if (config.TextFeature == IpIqaConfig.TextFeatureQaToken)
        {
            qa_token = Parameter(randn(config.TransformerWidth) * 0.02);
        }

        RegisterComponents();
    }

    public IpIqaConfig Config { get; }

    /// <summary>pixels: N 3 S S (normalised); tokens: N context_length int64 -> N output_dim scores.</summary>
    public override Tensor forward(Tensor pixels, Tensor tokens)
    {
        using var output = ForwardWithFeatures(pixels, tokens);
        return output.Scores.alias();
    }

    /// <summary>The scores together with the intermediates (see <see cref="IpIqaOutput"/>).</summary>
    public IpIqaOutput ForwardWithFeatures(Tensor pixels, Tensor tokens)
    {
        CheckPixels(pixels, Config.InputResolution);
        using var scope = NewDisposeScope();
        var textFeatures = EncodeText(tokens);
        var featureMap = resnet50.forward(pixels);
        var visualPooled = attnpool.forward(featureMap);
        var textPooled = txt_attnpool.forward(featureMap, textFeatures);
        var scores = head.forward(cat([visualPooled, textPooled], -1));
        return new IpIqaOutput(
            scores.MoveToOuterDisposeScope(),
            textFeatures.MoveToOuterDisposeScope(),
            visualPooled.MoveToOuterDisposeScope(),
            textPooled.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Scores each prompt of <paramref name="tokens"/> (M rows) against the image <paramref name="imageRows"/> (M int64
    /// indices into <paramref name="pixels"/>, N images) names: the image tower runs once per image, not once per
    /// pair, so one image can be scored against many prompts (the swap-ranking term of fine-tuning, #14). M x output_dim.
    /// </summary>
    public Tensor ForwardPairs(Tensor pixels, Tensor tokens, Tensor imageRows)
    {
        ArgumentNullException.ThrowIfNull(imageRows);
        CheckPixels(pixels, Config.InputResolution);
        using var scope = NewDisposeScope();
        var textFeatures = EncodeText(tokens);
        var featureMap = resnet50.forward(pixels);
        var visualPooled = attnpool.forward(featureMap).index_select(0, imageRows);
        var textPooled = txt_attnpool.forward(featureMap.index_select(0, imageRows), textFeatures);
        return head.forward(cat([visualPooled, textPooled], -1)).MoveToOuterDisposeScope();
    }

    /// <summary>Inference: eval mode, no gradients.</summary>
    public IpIqaOutput Predict(Tensor pixels, Tensor tokens)
    {
        eval();
        using var noGrad = no_grad();
        return ForwardWithFeatures(pixels, tokens);
    }

    /// <summary>CLIP's <c>encode_image</c>: the attention-pooled image embedding, N x embed_dim.</summary>
    public Tensor EncodeImage(Tensor pixels)
    {
        CheckPixels(pixels, Config.InputResolution);
        using var scope = NewDisposeScope();
        return attnpool.forward(resnet50.forward(pixels)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The prompt feature, N x embed_dim: the final-layer output at the text-feature position
    /// (<see cref="TextFeaturePosition"/>), layer-normed and projected. With <c>eot</c> this is
    /// CLIP's <c>encode_text</c>. The tower runs only the first <see cref="UsedLength"/> positions:
    /// under the causal mask the positions after the last feature position cannot change it (#14).
    /// </summary>
    public Tensor EncodeText(Tensor tokens)
    {
        CheckTokens(tokens);
        using var scope = NewDisposeScope();
        var position = TextFeaturePosition(tokens); // N
        return EncodeText(tokens, position, UsedLength(position, tokens.shape[1])).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// How many leading positions the text tower needs: one past the largest feature position of the
    /// batch, or <paramref name="contextLength"/> for an empty batch.
    /// </summary>
    public static long UsedLength(Tensor position, long contextLength)
    {
        if (position.numel() == 0)
        {
            return contextLength;
        }

        using var max = position.max();
        return max.item<long>() + 1;
    }

    /// <summary>The text tower on the first <paramref name="length"/> positions, read at <paramref name="position"/>.</summary>
    internal Tensor EncodeText(Tensor tokens, Tensor position, long length)
    {
        using var scope = NewDisposeScope();
        var x = wte.forward(tokens.narrow(1, 0, length)); // N length D
        if (qa_token is not null)
        {
            // Rule (docs/model.md): the [QA] embedding takes the place of the token at the feature position.
            var slot = functional.one_hot(position, length).unsqueeze(-1).to(x.dtype); // N length 1
            x = (x * ScalarOps.Minus(1, slot)).Plus(slot * qa_token);
        }

        x = x.Plus(txt_pos.narrow(0, 0, length));
        x = ln_final.forward(txt_model.forward(x));
        var index = position.view(-1, 1, 1).expand(-1, 1, x.shape[2]);
        var selected = x.gather(1, index).squeeze(1); // N D
        return matmul(selected, text_projection).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Where the text feature is read, per prompt. <c>eot</c>: the end-of-text token (the largest id).
    /// <c>qa_token</c>: the same position, except that a prompt filling the whole context reads at
    /// <c>context_length - 2</c> (its last real token gives way so that end-of-text stays last).
    /// </summary>
    public Tensor TextFeaturePosition(Tensor tokens)
    {
        var eot = tokens.argmax(-1);
        return qa_token is null ? eot : eot.clamp_max(tokens.shape[1] - 2);
    }

    private static void CheckPixels(Tensor pixels, int resolution)
    {
        if (pixels.dim() != 4 || pixels.shape[1] != 3 || pixels.shape[2] != resolution || pixels.shape[3] != resolution || pixels.dtype != ScalarType.Float32)
        {
            throw new ArgumentException(
                $"pixels must be float32 N x 3 x {resolution} x {resolution}; got {pixels.dtype} [{string.Join(", ", pixels.shape)}].", nameof(pixels));
        }
    }

    private void CheckTokens(Tensor tokens)
    {
        if (tokens.dim() != 2 || tokens.shape[1] != Config.ContextLength || tokens.dtype != ScalarType.Int64)
        {
            throw new ArgumentException(
                $"tokens must be int64 N x {Config.ContextLength}; got {tokens.dtype} [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        }

        if (tokens.numel() == 0)
        {
            return;
        }

        using var min = tokens.min();
        using var max = tokens.max();
        if (min.item<long>() < 0 || max.item<long>() >= Config.VocabSize)
        {
            throw new ArgumentException($"token ids must lie in [0, {Config.VocabSize}).", nameof(tokens));
        }
    }
}
