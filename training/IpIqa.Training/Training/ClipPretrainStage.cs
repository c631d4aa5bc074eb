using IpIqa.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace IpIqa.Training.Training;

/// <summary>
/// <c>pretrain-clip</c>: contrastive CLIP pretraining of the image tower (<c>resnet50</c>, <c>attnpool</c>)
/// and the text tower from scratch on (image, prompt) pairs: symmetric InfoNCE with a learnable logit scale
/// (initialised at 1/0.07, capped at 100). Images of the same prompt are equal positives (soft targets).
/// </summary>
public static class ClipPretrainStage
{
    public const string Name = "pretrain-clip";
    public const string LogitScaleKey = "logit_scale";

    private static readonly string[] Towers = ["resnet50.", "attnpool.", "txt_model.", "wte.", "ln_final.", "txt_pos", "text_projection", "qa_token"];

    public static TrainingState Run(StageInputs inputs, TrainingOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        // config
        options.Validate();
        random.manual_seed(options.Seed);

        // model
        using var model = TrainingCheckpoint.LoadModel(inputs.Init, inputs.ModelConfig);
        using var logitScale = new Parameter(tensor(Math.Log(1 / 0.07), float32, new Device(options.Device)));

        // data
        model.to(new Device(options.Device));
        var data = StageData.Load(inputs, model.Config.InputResolution, model.Config.ContextLength, options.Device);
        var pairs = data.Pairs(options.PairMinAlignment);
        HardNegativeCaptions? hard = null;
        if (options.HardNegatives)
        {
            hard = HardNegativeCaptions.Load(pairs, inputs.Data, options.Seed);
            pairs = [.. pairs.Where(hard.Covers)];
            log.WriteLine($"{Name}: hard negative captions (one attribute swapped: shape, colour, count, position, style) on the {pairs.Count} pairs drawn as their prompt says");
        }

        var (train, validation) = data.SplitByPrompt(pairs, options.ValidationFraction, options.SplitSeed);

        // optimiser and loop
        var groups = new ParameterGroups(model.named_parameters(), name => Towers.Any(name.StartsWith), options.HeadScale);
        var loop = new TrainingLoop(Name, options, inputs.RunFolder, model, groups)
        {
            ExtraParameters = [logitScale],
            Extra = () => new() { [LogitScaleKey] = logitScale.item<float>() },
            RestoreExtra = extra =>
            {
                using var noGrad = no_grad();
                logitScale.fill_(extra.GetValueOrDefault(LogitScaleKey, Math.Log(1 / 0.07)));
            },
            StepLoss = (batch, generator) => Loss(model, logitScale, train, batch, options.HorizontalFlip ? generator : null, hard?.Draw(train.Samples, batch), cancellationToken),
            Evaluate = () =>
            {
                var batches = validation.OrderedBatches(options.BatchSize).Where(b => b.Length >= 2).ToArray();
                var loss = batches.Average(b =>
                {
                    using var scope = NewDisposeScope();
                    return Loss(model, logitScale, validation, b, null, hard?.Draw(validation.Samples, b), cancellationToken).item<float>();
                });
                return new EpochEvaluation("val", loss, null, -loss);
            },
        };
        return loop.Run(train, inputs.Resume, log, cancellationToken);
    }

    /// <summary>
    /// Symmetric cross-entropy between image and prompt embeddings with same-prompt soft targets. With
    /// <paramref name="hardNegatives"/> (<see cref="HardNegativeCaptions.PerImage"/> captions per image, row-major),
    /// each image's softmax over the batch's prompts also holds its own hard negative captions, with target 0.
    /// </summary>
    public static Tensor Loss(IpIqaModel model, Tensor logitScale, SampleSet set, int[] batch, Generator? flip, string[]? hardNegatives, CancellationToken cancellationToken)
    {
        var pixels = set.Pixels(batch, cancellationToken);
        if (flip is not null)
        {
            pixels = SampleSet.RandomHorizontalFlip(pixels, flip);
        }

        var image = normalize(model.EncodeImage(pixels), dim: -1); // N E
        var text = normalize(model.EncodeText(set.Tokens(batch)), dim: -1); // N E
        var scale = logitScale.AtMost(Math.Log(100)).exp();
        var logits = scale * image.matmul(text.t()); // N N
        var groups = set.Groups(batch);
        var targets = groups.unsqueeze(1).eq(groups.unsqueeze(0)).to(float32);
        targets = targets / targets.sum(1, keepdim: true);
        var (imageLogits, imageTargets) = (logits, targets);
        if (hardNegatives is not null)
        {
            var hard = normalize(model.EncodeText(set.Tokens(hardNegatives)), dim: -1).reshape(batch.Length, HardNegativeCaptions.PerImage, -1); // N K E
            imageLogits = cat([logits, scale * (hard * image.unsqueeze(1)).sum(-1)], 1); // N (N + K)
            imageTargets = cat([targets, zeros(batch.Length, HardNegativeCaptions.PerImage, device: targets.device)], 1);
        }

        var imageLoss = -(imageTargets * log_softmax(imageLogits, 1)).sum(1).mean();
        var textLoss = -(targets * log_softmax(logits.t(), 1)).sum(1).mean();
        return imageLoss.Plus(textLoss).Over(2);
    }
}
