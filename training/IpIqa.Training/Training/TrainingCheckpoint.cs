using IpIqa.Model;
using IpIqa.Training.Import;
using TorchSharp.Modules;

namespace IpIqa.Training.Training;

/// <summary>
/// A resumable checkpoint folder: the model as <see cref="TorchCheckpoint"/> writes it (weights.safetensors
/// with the official keys, config.json; exportable as is), the optimiser state and <c>state.json</c>.
/// Written into a temporary sibling and renamed, so an interrupted save leaves the previous one intact.
/// </summary>
public static class TrainingCheckpoint
{
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "state.json";

    public static void Save(string folder, IpIqaModel model, OptimizerHelper? optimizer, TrainingState state)
    {
        var full = Path.GetFullPath(folder);
        var staging = full + ".saving";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        TorchCheckpoint.Save(model, staging);
        optimizer?.save_state_dict(Path.Combine(staging, OptimizerFile));
        File.WriteAllText(Path.Combine(staging, StateFile), state.ToJson());
        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }

        Directory.Move(staging, full);
    }

    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, StateFile)) && File.Exists(Path.Combine(folder, TorchCheckpoint.WeightsFile));

    public static TrainingState ReadState(string folder) => TrainingState.Load(Path.Combine(folder, StateFile));

    /// <summary>Restores the optimiser's moments and step counts; the parameter groups must be built the same way.</summary>
    public static void LoadOptimizer(string folder, OptimizerHelper optimizer)
    {
        var path = Path.Combine(folder, OptimizerFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{folder}: no {OptimizerFile}; the checkpoint cannot resume training.");
        }

        optimizer.load_state_dict(path);
    }

    /// <summary>
    /// The model a stage starts from: the checkpoint folder <paramref name="init"/> (any stage's output, or
    /// <c>ipiqa-train import</c>'s), or a fresh model from the architecture file <paramref name="modelConfig"/>.
    /// </summary>
    public static IpIqaModel LoadModel(string? init, string? modelConfig, Func<IpIqaConfig, IpIqaConfig>? adjust = null)
    {
        if (init is not null)
        {
            var loaded = TorchCheckpoint.Load(init);
            if (adjust is null || adjust(loaded.Config) == loaded.Config)
            {
                return loaded;
            }

            // A changed head (output_dim) or training-only field (dropout): rebuild and copy every weight whose shape still fits.
            using (loaded)
            {
                var model = new IpIqaModel(adjust(loaded.Config));
                var target = model.state_dict();
                var source = loaded.state_dict()
                    .Where(kv => target.TryGetValue(kv.Key, out var t) && t.shape.SequenceEqual(kv.Value.shape))
                    .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                model.load_state_dict(source, strict: false);
                return model;
            }
        }

        if (modelConfig is null)
        {
            throw new InvalidDataException("Give --init (a checkpoint folder) or --model-config (an architecture JSON for a model from scratch).");
        }

        var config = IpIqaConfig.Load(modelConfig);
        return new IpIqaModel(adjust is null ? config : adjust(config));
    }
}
