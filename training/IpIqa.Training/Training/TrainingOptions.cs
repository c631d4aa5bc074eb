using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Training.Training;

/// <summary>
/// The hyperparameters of a training stage, in snake_case like the official configs
/// (<c>ipiqa/projects/agiqa3k/ipiqa.yaml</c>). A run reads them from a JSON file (<c>--config</c>),
/// then applies the command line's overrides; <see cref="Validate"/> names the first bad key.
/// </summary>
public sealed record TrainingOptions
{
    public const string ScheduleConstant = "constant";
    public const string ScheduleCosine = "cosine";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    [JsonPropertyName("epochs")] public int Epochs { get; init; } = 10;
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 32;
    [JsonPropertyName("eval_batch_size")] public int EvalBatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of the body (the official <c>init_lr</c>).</summary>
    [JsonPropertyName("lr")] public double LearningRate { get; init; } = 1e-5;

    /// <summary>Floor of the cosine schedule.</summary>
    [JsonPropertyName("min_lr")] public double MinLearningRate { get; init; }

    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }
    [JsonPropertyName("beta1")] public double Beta1 { get; init; } = 0.9;
    [JsonPropertyName("beta2")] public double Beta2 { get; init; } = 0.999;

    /// <summary><c>constant</c> (the official configs) or <c>cosine</c>; both after a linear warmup.</summary>
    [JsonPropertyName("schedule")] public string Schedule { get; init; } = ScheduleConstant;

    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; }

    /// <summary>Learning-rate multiplier of the head (the official <c>head_scale</c>).</summary>
    [JsonPropertyName("head_scale")] public double HeadScale { get; init; } = 10;

    /// <summary>Global gradient-norm clip; 0 turns it off.</summary>
    [JsonPropertyName("grad_clip")] public double GradClip { get; init; }

    /// <summary>Random horizontal flips of training images (p = 0.5), as the official train transform.</summary>
    [JsonPropertyName("hflip")] public bool HorizontalFlip { get; init; } = true;

    [JsonPropertyName("seed")] public int Seed { get; init; }

    /// <summary>Stop after this many optimiser steps in all (0: run every epoch). For smoke tests.</summary>
    [JsonPropertyName("max_steps")] public int MaxSteps { get; init; }

    /// <summary>Pretraining stages use only pairs whose alignment MOS is at least this (null: every pair).</summary>
    [JsonPropertyName("pair_min_alignment")] public double? PairMinAlignment { get; init; }

    /// <summary>Fine-tuning: the MLP head's dropout (null: the model config's).</summary>
    [JsonPropertyName("dropout")] public double? Dropout { get; init; }

    /// <summary>Fine-tuning: train the token embeddings (eot mode) or the [QA] token (qa_token mode) of the frozen text tower.</summary>
    [JsonPropertyName("train_text_token")] public bool TrainTextToken { get; init; } = true;

    /// <summary>
    /// Fine-tuning: the probability that a training image is paired with a prompt from another prompt group
    /// (a mismatched-prompt negative, alignment target <see cref="MismatchAlignment"/>). 0 (the default) turns it off.
    /// </summary>
    [JsonPropertyName("mismatch_probability")] public double MismatchProbability { get; init; }

    /// <summary>Fine-tuning: the alignment target of a mismatched pair (null: the training split's lowest alignment MOS).</summary>
    [JsonPropertyName("mismatch_alignment")] public double? MismatchAlignment { get; init; }

    /// <summary>
    /// Fine-tuning on a synthetic set: the probability that an image drawn as its prompt says is paired with a prompt
    /// that differs in one of shape, colour, count, position or style, with the generator formula's alignment as target (<see cref="AttributeSwapNegatives"/>).
    /// </summary>
    [JsonPropertyName("attribute_swap_probability")] public double AttributeSwapProbability { get; init; }

    /// <summary>
    /// Fine-tuning on a synthetic set: how often each attribute is the one swapped, as relative weights keyed
    /// <c>shape</c>, <c>colour</c>, <c>count</c>, <c>position</c>, <c>style</c> (a key left out weighs 1; null: all equal).
    /// </summary>
    [JsonPropertyName("attribute_swap_weights")] public IReadOnlyDictionary<string, double>? SwapWeights { get; init; }

    /// <summary>
    /// Fine-tuning on a synthetic set: the weight of the swap-ranking term (<see cref="SwapRanking"/>) added to the
    /// regression loss; 0 (the default) turns it off and trains exactly as without it.
    /// </summary>
    [JsonPropertyName("swap_ranking_weight")] public double SwapRankingWeight { get; init; }

    /// <summary>Fine-tuning: the swap-ranking margin, as a fraction of the generator formula's gap for each swap.</summary>
    [JsonPropertyName("swap_ranking_margin")] public double SwapRankingMargin { get; init; } = 0.5;

    /// <summary>Learning-rate multiplier of the image tower (the ResNet and its attention pool); 0 keeps it frozen.</summary>
    [JsonPropertyName("image_lr_scale")] public double ImageLearningRateScale { get; init; } = 1;

    /// <summary>The image tower stays frozen for this many first epochs (its pretrained features kept while the rest adapts).</summary>
    [JsonPropertyName("freeze_image_epochs")] public int FreezeImageEpochs { get; init; }

    /// <summary>
    /// <c>pretrain-clip</c> on a synthetic set: learn only from the images drawn as their prompt says, each with
    /// one-attribute-swapped captions as extra negatives in the image-to-text softmax (<see cref="HardNegativeCaptions"/>).
    /// </summary>
    [JsonPropertyName("hard_negatives")] public bool HardNegatives { get; init; }

    /// <summary>Fine-tuning: <c>official</c> or <c>honest</c> (see docs/training.md).</summary>
    [JsonPropertyName("protocol")] public string Protocol { get; init; } = "official";

    [JsonPropertyName("splits")] public int Splits { get; init; } = 1;
    [JsonPropertyName("split_seed")] public int SplitSeed { get; init; }
    [JsonPropertyName("test_fraction")] public double TestFraction { get; init; } = 0.2;
    [JsonPropertyName("validation_fraction")] public double ValidationFraction { get; init; } = 0.1;

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>; CUDA needs the TorchSharp CUDA runtime package (docs/training.md).</summary>
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";

    /// <summary>Intra-op threads for TorchSharp (0: libtorch's default).</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }

    public static TrainingOptions Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: training config not found.");
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingOptions>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: the training config is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid training config at {e.Path} (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Throws an <see cref="InvalidDataException"/> naming the first key out of range.</summary>
    public TrainingOptions Validate()
    {
        Require(Epochs >= 1, "epochs", Epochs, "must be at least 1");
        Require(BatchSize >= 2, "batch_size", BatchSize, "must be at least 2");
        Require(EvalBatchSize >= 1, "eval_batch_size", EvalBatchSize, "must be at least 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "lr", LearningRate, "must be positive");
        Require(MinLearningRate >= 0 && MinLearningRate <= LearningRate, "min_lr", MinLearningRate, $"must lie in [0, lr = {LearningRate}]");
        Require(WeightDecay >= 0, "weight_decay", WeightDecay, "must not be negative");
        Require(Beta1 is >= 0 and < 1, "beta1", Beta1, "must lie in [0, 1)");
        Require(Beta2 is >= 0 and < 1, "beta2", Beta2, "must lie in [0, 1)");
        Require(Schedule is ScheduleConstant or ScheduleCosine, "schedule", Schedule, $"must be '{ScheduleConstant}' or '{ScheduleCosine}'");
        Require(WarmupSteps >= 0, "warmup_steps", WarmupSteps, "must not be negative");
        Require(HeadScale > 0, "head_scale", HeadScale, "must be positive");
        Require(GradClip >= 0, "grad_clip", GradClip, "must not be negative (0 turns it off)");
        Require(MaxSteps >= 0, "max_steps", MaxSteps, "must not be negative");
        Require(Dropout is null or (>= 0 and < 1), "dropout", Dropout!, "must lie in [0, 1)");
        Require(MismatchProbability is >= 0 and < 1, "mismatch_probability", MismatchProbability, "must lie in [0, 1)");
        Require(MismatchAlignment is null || (MismatchAlignment >= 0 && double.IsFinite(MismatchAlignment.Value)), "mismatch_alignment", MismatchAlignment!, "must be a finite, non-negative MOS");
        Require(AttributeSwapProbability is >= 0 and < 1, "attribute_swap_probability", AttributeSwapProbability, "must lie in [0, 1)");
        AttributeSwapWeights.Resolve(SwapWeights);
        Require(SwapRankingWeight >= 0 && double.IsFinite(SwapRankingWeight), "swap_ranking_weight", SwapRankingWeight, "must be finite and not negative (0 turns it off)");
        Require(SwapRankingMargin >= 0 && double.IsFinite(SwapRankingMargin), "swap_ranking_margin", SwapRankingMargin, "must be finite and not negative");
        Require(ImageLearningRateScale >= 0 && double.IsFinite(ImageLearningRateScale), "image_lr_scale", ImageLearningRateScale, "must be finite and not negative (0 freezes the image tower)");
        Require(FreezeImageEpochs >= 0, "freeze_image_epochs", FreezeImageEpochs, "must not be negative");
        Require(Protocol is "official" or "honest", "protocol", Protocol, "must be 'official' or 'honest'");
        Require(Splits >= 1, "splits", Splits, "must be at least 1");
        Require(TestFraction is > 0 and < 1, "test_fraction", TestFraction, "must lie strictly between 0 and 1");
        Require(ValidationFraction is > 0 and < 1 || Protocol == "official", "validation_fraction", ValidationFraction, "must lie strictly between 0 and 1 under the honest protocol");
        Require(Threads >= 0, "threads", Threads, "must not be negative");
        Require(Device == "cpu" || Device == "cuda" || Device.StartsWith("cuda:", StringComparison.Ordinal), "device", Device, "must be 'cpu', 'cuda' or 'cuda:N'");
        Require(Device == "cpu" || TorchSharp.torch.cuda.is_available(), "device", Device, "is not available: this build of TorchSharp has no CUDA runtime, or no GPU is visible");
        return this;

        static void Require(bool ok, string key, object value, string rule)
        {
            if (!ok)
            {
                throw new InvalidDataException($"training config: {key} = {value} {rule}.");
            }
        }
    }
}
