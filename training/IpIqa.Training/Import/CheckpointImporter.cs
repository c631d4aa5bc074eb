using IpIqa.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace IpIqa.Training.Import;

/// <summary>
/// Builds an <see cref="IpIqaModel"/> from an official IP-IQA checkpoint (optionally completed by a
/// base CLIP for the keys the official trainer leaves out) or from OpenAI CLIP ResNet weights.
/// Every key that is missing, unexpected or of the wrong shape is named in one error.
/// </summary>
public sealed partial class CheckpointImporter(ILogger<CheckpointImporter>? logger = null)
{
    /// <summary>Keys a CLIP import leaves at their fresh initialisation.</summary>
    private static readonly string[] FreshPrefixes = ["txt_attnpool.", "head.", "qa_token"];

    private readonly ILogger _logger = logger ?? NullLogger<CheckpointImporter>.Instance;

    /// <summary>Loads <paramref name="checkpoint"/> into a new model built from <paramref name="config"/> (RN50 when null).</summary>
    public ImportResult Import(string checkpoint, CheckpointFormat format = CheckpointFormat.Auto, IpIqaConfig? config = null, string? baseClip = null)
    {
        config ??= IpIqaConfig.Rn50;
        var weights = CheckpointReader.Read(checkpoint);
        try
        {
            if (format == CheckpointFormat.Auto)
            {
                format = ClipKeyMap.IsClipStateDict(weights.Keys) ? CheckpointFormat.Clip : CheckpointFormat.IpIqa;
            }

            LogReading(_logger, checkpoint, weights.Count, format);
            var fromBase = new List<string>();
            Dictionary<string, Tensor> named;
            if (format == CheckpointFormat.Clip)
            {
                named = MapClip(weights, config, checkpoint);
                weights.Clear();
            }
            else
            {
                named = weights;
                config = ReconcileWithKeys(config, named.Keys, checkpoint);
                if (baseClip is not null)
                {
                    fromBase.AddRange(CompleteFromBaseClip(named, baseClip, config));
                }
            }

            var model = new IpIqaModel(config);
            try
            {
                var fresh = StateDictLoader.Load(model, named, checkpoint, format == CheckpointFormat.Clip ? FreshPrefixes : []);
                LogImported(_logger, checkpoint, named.Count, fromBase.Count, fresh.Count);
                return new ImportResult(model, format, fromBase, fresh);
            }
            catch
            {
                model.Dispose();
                throw;
            }
            finally
            {
                DisposeAll(named);
            }
        }
        finally
        {
            DisposeAll(weights);
        }
    }

    /// <summary>
    /// The head kind and the [QA] token are visible in the keys; a config that says otherwise is
    /// corrected (logged), since the keys are what was trained.
    /// </summary>
    private IpIqaConfig ReconcileWithKeys(IpIqaConfig config, IEnumerable<string> keys, string source)
    {
        var keySet = keys.ToHashSet(StringComparer.Ordinal);
        var head = keySet.Contains("head.dense.weight") ? IpIqaConfig.HeadMlp : keySet.Contains("head.weight") ? IpIqaConfig.HeadLinear : config.Head;
        var textFeature = keySet.Contains("qa_token") ? IpIqaConfig.TextFeatureQaToken : config.TextFeature;
        if (head != config.Head)
        {
            LogConfigCorrected(_logger, source, "head", config.Head, head);
        }

        if (textFeature != config.TextFeature)
        {
            LogConfigCorrected(_logger, source, "text_feature", config.TextFeature, textFeature);
        }

        return config with { Head = head, TextFeature = textFeature };
    }

    private IEnumerable<string> CompleteFromBaseClip(Dictionary<string, Tensor> named, string baseClip, IpIqaConfig config)
    {
        var clipWeights = CheckpointReader.Read(baseClip);
        Dictionary<string, Tensor> mapped;
        try
        {
            mapped = MapClip(clipWeights, config, baseClip);
        }
        catch
        {
            DisposeAll(clipWeights);
            throw;
        }

        var supplied = new List<string>();
        foreach (var (key, tensor) in mapped)
        {
            if (named.ContainsKey(key))
            {
                tensor.Dispose();
            }
            else
            {
                named[key] = tensor;
                supplied.Add(key);
            }
        }

        LogBaseClip(_logger, baseClip, supplied.Count);
        return supplied;
    }

    /// <summary>CLIP names -> IP-IQA names; the attention-pool positional embedding is resized to the model's grid.</summary>
    internal static Dictionary<string, Tensor> MapClip(Dictionary<string, Tensor> clip, IpIqaConfig config, string source)
    {
        // Another CLIP (RN101, RN50x4, ...) gets one error naming the config that fits, not a list of unexpected keys.
        if (ClipArchitecture.Detect(clip.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal)) is { } architecture
            && architecture.Mismatches(config).Count > 0)
        {
            throw new CheckpointException(architecture.Describe(source, config));
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (clipKey, tensor) in clip)
            {
                var key = ClipKeyMap.ToIpIqa(clipKey);
                if (key == "attnpool.positional_embedding")
                {
                    result[key] = PositionalEmbeddingResizer.Resize(tensor, config.ClipImageResolution / 32, config.Grid, $"{source}: {clipKey}");
                    tensor.Dispose();
                }
                else if (key is null)
                {
                    tensor.Dispose();
                }
                else
                {
                    result[key] = tensor;
                }
            }

            clip.Clear();
            return result;
        }
        catch
        {
            DisposeAll(result);
            throw;
        }
    }

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        tensors.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {Checkpoint}: {Count} tensors, format {Format}")]
    private static partial void LogReading(ILogger logger, string checkpoint, int count, CheckpointFormat format);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Checkpoint}: {Loaded} tensors loaded ({FromBase} from the base CLIP), {Fresh} freshly initialised")]
    private static partial void LogImported(ILogger logger, string checkpoint, int loaded, int fromBase, int fresh);

    [LoggerMessage(Level = LogLevel.Information, Message = "Base CLIP {BaseClip} supplied {Count} keys")]
    private static partial void LogBaseClip(ILogger logger, string baseClip, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Checkpoint}: config {Field} = {Configured} does not match the checkpoint's keys; using {Actual}")]
    private static partial void LogConfigCorrected(ILogger logger, string checkpoint, string field, string configured, string actual);
}
