using IpIqa.Model;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace IpIqa.Training.Training;

/// <summary>
/// <c>image2prompt</c>: the paper's Image2Prompt incremental pretraining (official
/// <c>ipiqa/tasks/image2prompt.py</c>). The image tower (<c>resnet50</c>, <c>attnpool</c>) learns to predict
/// the frozen text tower's embedding of the image's prompt under a cosine embedding loss with target 1,
/// i.e. the mean of <c>1 - cos(image, prompt)</c>.
/// </summary>
public static class Image2PromptStage
{
    public const string Name = "image2prompt";

    public static TrainingState Run(StageInputs inputs, TrainingOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        // config
        options.Validate();
        random.manual_seed(options.Seed);

        // model: only the image tower trains
        using var model = TrainingCheckpoint.LoadModel(inputs.Init, inputs.ModelConfig);
        var groups = new ParameterGroups(
            model.named_parameters(),
            name => name.StartsWith("resnet50.", StringComparison.Ordinal) || name.StartsWith("attnpool.", StringComparison.Ordinal),
            options.HeadScale);

        // data
        model.to(new Device(options.Device));
        var data = StageData.Load(inputs, model.Config.InputResolution, model.Config.ContextLength, options.Device);
        var (train, validation) = data.SplitByPrompt(data.Pairs(options.PairMinAlignment), options.ValidationFraction, options.SplitSeed);

        // loop
        var loop = new TrainingLoop(Name, options, inputs.RunFolder, model, groups)
        {
            StepLoss = (batch, generator) => Loss(model, train, batch, options.HorizontalFlip ? generator : null, cancellationToken),
            Evaluate = () =>
            {
                var loss = validation.OrderedBatches(options.EvalBatchSize).Sum(b =>
                {
                    using var scope = NewDisposeScope();
                    return Loss(model, validation, b, null, cancellationToken).item<float>() * b.Length;
                }) / validation.Count;
                return new EpochEvaluation("val", loss, null, -loss);
            },
        };
        return loop.Run(train, inputs.Resume, log, cancellationToken);
    }

    /// <summary>Mean cosine embedding loss (target 1) between the image embedding and the detached prompt embedding.</summary>
    public static Tensor Loss(IpIqaModel model, SampleSet set, int[] batch, Generator? flip, CancellationToken cancellationToken)
    {
        Tensor target;
        using (no_grad())
        {
            target = model.EncodeText(set.Tokens(batch));
        }

        var pixels = set.Pixels(batch, cancellationToken);
        if (flip is not null)
        {
            pixels = SampleSet.RandomHorizontalFlip(pixels, flip);
        }

        var image = model.EncodeImage(pixels);
        return ScalarOps.Minus(1, cosine_similarity(image, target, dim: 1)).mean();
    }
}
