using IpIqa.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IpIqa.Training.Import;

/// <summary>
/// A model on disk as a folder: <c>weights.safetensors</c> (official key names, readable by Python's
/// safetensors too) and <c>config.json</c> (the <see cref="IpIqaConfig"/> in snake_case).
/// </summary>
public static class TorchCheckpoint
{
    public const string WeightsFile = "weights.safetensors";
    public const string ConfigFile = "config.json";

    public static void Save(IpIqaModel model, string directory)
    {
        Directory.CreateDirectory(directory);
        var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous(), StringComparer.Ordinal);
        try
        {
            using var stream = File.Create(Path.Combine(directory, WeightsFile));
            Safetensors.SaveStateDict(stream, weights, leaveOpen: true);
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }

        File.WriteAllText(Path.Combine(directory, ConfigFile), model.Config.ToJson());
    }

    public static IpIqaModel Load(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath))
        {
            throw new CheckpointException($"{directory}: no {ConfigFile}; not a checkpoint folder written by ipiqa-train import.");
        }

        var config = IpIqaConfig.Load(configPath);
        var weights = CheckpointReader.Read(Path.Combine(directory, WeightsFile));
        var model = new IpIqaModel(config);
        try
        {
            StateDictLoader.Load(model, weights, Path.Combine(directory, WeightsFile), []);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
