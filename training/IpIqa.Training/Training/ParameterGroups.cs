using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IpIqa.Training.Training;

/// <summary>
/// The official optimiser grouping (<c>IPIQA.get_optimizer_params</c>): weight decay except on biases,
/// 1-D tensors and norm layers; the head's groups run at <c>head_scale</c> times the learning rate.
/// Only parameters that <paramref name="trainable"/> accepts are optimised; the rest are frozen.
/// </summary>
public sealed class ParameterGroups
{
    private readonly List<(Parameter Parameter, bool Decay, double Scale)> _entries = [];

    public ParameterGroups(IEnumerable<(string Name, Parameter Parameter)> named, Func<string, bool> trainable, double headScale)
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
            var scale = name.StartsWith("head.", StringComparison.Ordinal) ? headScale : 1.0;
            _entries.Add((parameter, decay, scale));
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

    /// <summary>AdamW over the trainable parameters (one group per decay/scale pair) and <paramref name="extra"/> (no decay, scale 1).</summary>
    public OptimizerHelper CreateAdamW(TrainingOptions options, IReadOnlyList<Parameter> extra)
    {
        var entries = _entries.Concat(extra.Select(p => (Parameter: p, Decay: false, Scale: 1.0))).ToArray();
        var groups = new List<AdamW.ParamGroup>();
        var scales = new List<double>();
        foreach (var key in entries.Select(e => (e.Decay, e.Scale)).Distinct())
        {
            var parameters = entries.Where(e => e.Decay == key.Decay && e.Scale == key.Scale).Select(e => e.Parameter).ToArray();
            groups.Add(new AdamW.ParamGroup(parameters, lr: options.LearningRate * key.Scale, beta1: options.Beta1, beta2: options.Beta2, weight_decay: key.Decay ? options.WeightDecay : 0));
            scales.Add(key.Scale);
        }

        Scales = scales;
        return optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, weight_decay: options.WeightDecay);
    }

    /// <summary>Sets each group to <paramref name="lr"/> times its scale.</summary>
    public void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var (group, scale) in optimizer.ParamGroups.Zip(Scales))
        {
            group.LearningRate = lr * scale;
        }
    }
}
