using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IpIqa.Training.Training;

/// <summary>
/// The official optimiser grouping (<c>IPIQA.get_optimizer_params</c>): weight decay except on biases,
/// 1-D tensors and norm layers; the head's groups run at <c>head_scale</c> times the learning rate.
/// Only parameters that <paramref name="trainable"/> accepts are optimised; the rest are frozen. The image
/// tower's groups (<c>resnet50.</c>, <c>attnpool.</c>) run at <paramref name="imageScale"/> times the learning
/// rate (<c>image_lr_scale</c>), or not at all while <see cref="SetLearningRate"/> is told it is frozen (#14).
/// </summary>
public sealed class ParameterGroups
{
    private static readonly string[] ImageTower = ["resnet50.", "attnpool."];

    private readonly List<(Parameter Parameter, bool Decay, double Scale, bool Image)> _entries = [];

    public ParameterGroups(IEnumerable<(string Name, Parameter Parameter)> named, Func<string, bool> trainable, double headScale, double imageScale = 1.0)
    {
        foreach (var (name, parameter) in named)
        {
            var train = trainable(name);
            parameter.requires_grad = train;
            if (!train)
            {
                continue;
            }

            var decay = parameter.dim() >= 2 && !name.Contains("bias", StringComparison.Ordinal)
                && !name.Contains("ln", StringComparison.Ordinal) && !name.Contains("bn", StringComparison.Ordinal);
            var image = IsImageTower(name);
            var scale = name.StartsWith("head.", StringComparison.Ordinal) ? headScale : image ? imageScale : 1.0;
            _entries.Add((parameter, decay, scale, image));
            TrainableNames.Add(name);
        }

        if (_entries.Count == 0)
        {
            throw new InvalidOperationException("No parameter is trainable in this stage.");
        }
    }

    public List<string> TrainableNames { get; } = [];

    public long TrainableCount => _entries.Sum(e => e.Parameter.numel());

    public IEnumerable<Parameter> Parameters => _entries.Select(e => e.Parameter);

    /// <summary>The lr multiplier of each optimiser group, in the order <see cref="CreateAdamW"/> builds them.</summary>
    public IReadOnlyList<double> Scales { get; private set; } = [];

    /// <summary>Whether each optimiser group holds image-tower parameters, in the order of <see cref="Scales"/>.</summary>
    public IReadOnlyList<bool> ImageGroups { get; private set; } = [];

    /// <summary>Whether the parameter <paramref name="name"/> belongs to the image tower (the ResNet and its attention pool).</summary>
    public static bool IsImageTower(string name) => ImageTower.Any(name.StartsWith);

    /// <summary>AdamW (<see cref="DisposalSafeAdamW"/>) over the trainable parameters (one group per decay/scale pair) and <paramref name="extra"/> (no decay, scale 1).</summary>
    public OptimizerHelper CreateAdamW(TrainingOptions options, IReadOnlyList<Parameter> extra)
    {
        var entries = _entries.Concat(extra.Select(p => (Parameter: p, Decay: false, Scale: 1.0, Image: false))).ToArray();
        var groups = new List<AdamW.ParamGroup>();
        var scales = new List<double>();
        var images = new List<bool>();
        foreach (var key in entries.Select(e => (e.Decay, e.Scale, e.Image)).Distinct())
        {
            var parameters = entries.Where(e => (e.Decay, e.Scale, e.Image) == key).Select(e => e.Parameter).ToArray();
            groups.Add(new AdamW.ParamGroup(parameters, lr: options.LearningRate * key.Scale, beta1: options.Beta1, beta2: options.Beta2, weight_decay: key.Decay ? options.WeightDecay : 0));
            scales.Add(key.Scale);
            images.Add(key.Image);
        }

        Scales = scales;
        ImageGroups = images;
        return new DisposalSafeAdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
    }

    /// <summary>
    /// Sets each group to <paramref name="lr"/> times its scale; the image tower's groups to 0 while
    /// <paramref name="imageFrozen"/> (AdamW's decoupled weight decay scales with the lr, so they stay put).
    /// </summary>
    public void SetLearningRate(OptimizerHelper optimizer, double lr, bool imageFrozen = false)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var ((group, scale), image) in optimizer.ParamGroups.Zip(Scales).Zip(ImageGroups))
        {
            group.LearningRate = image && imageFrozen ? 0 : lr * scale;
        }
    }
}
