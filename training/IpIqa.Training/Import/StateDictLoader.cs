using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Training.Import;

/// <summary>Copies named tensors into a module, checking every key and shape first.</summary>
public static class StateDictLoader
{
    private const string BatchCounterSuffix = ".num_batches_tracked";
    private const int MaxShapeLines = 20;

    /// <summary>
    /// Copies <paramref name="weights"/> into <paramref name="module"/>. Keys of the module that start
    /// with one of <paramref name="freshPrefixes"/> may be absent (they keep their initialisation) and
    /// are returned; BatchNorm batch counters may be absent. Anything else absent, unexpected or of the
    /// wrong shape is an error that lists them all.
    /// </summary>
    public static IReadOnlyList<string> Load(Module module, IReadOnlyDictionary<string, Tensor> weights, string source, IReadOnlyCollection<string> freshPrefixes)
    {
        var expected = module.state_dict();
        var fresh = new List<string>();
        var missing = new List<string>();
        foreach (var key in expected.Keys)
        {
            if (weights.ContainsKey(key) || key.EndsWith(BatchCounterSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            (freshPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) ? fresh : missing).Add(key);
        }

        var unexpected = weights.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = weights
            .Where(kv => expected.TryGetValue(kv.Key, out var target) && !target.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: the model expects [{Join(expected[kv.Key].shape)}], the checkpoint has [{Join(kv.Value.shape)}]")
            .ToList();

        if (missing.Count > 0 || unexpected.Count > 0 || shapes.Count > 0)
        {
            throw new CheckpointException(Describe(source, missing, unexpected, shapes));
        }

        using (no_grad())
        {
            foreach (var (key, target) in expected)
            {
                if (weights.TryGetValue(key, out var value))
                {
                    target.copy_(value);
                }
            }
        }

        return fresh;
    }

    private static string Describe(string source, List<string> missing, List<string> unexpected, List<string> shapes)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{source} does not fit the model:");
        if (missing.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {missing.Count} missing keys: {string.Join(", ", missing)}");
            if (missing.Any(k => k.StartsWith("txt_model.", StringComparison.Ordinal) || k is "wte.weight" or "txt_pos" or "text_projection" || k.StartsWith("ln_final.", StringComparison.Ordinal)))
            {
                text.Append("\n  (the official trainer leaves out frozen text-tower keys; pass --base-clip with the CLIP weights the model was trained from)");
            }
        }

        if (unexpected.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {unexpected.Count} unexpected keys: {string.Join(", ", unexpected)}");
        }

        shapes.Sort(StringComparer.Ordinal);
        foreach (var line in shapes.Take(MaxShapeLines))
        {
            text.Append("\n  shape mismatch: ").Append(line);
        }

        if (shapes.Count > MaxShapeLines)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  ... and {shapes.Count - MaxShapeLines} more shape mismatches");
        }

        if (shapes.Count > 0)
        {
            text.Append("\n  (check the config: vision_width, embed_dim, transformer_*, input_resolution, txt_pool_heads)");
        }

        return text.ToString();
    }

    private static string Join(long[] shape) => string.Join(", ", shape);
}
