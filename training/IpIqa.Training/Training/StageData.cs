using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;
using IpIqa.Core.Tokenization;
using IpIqa.Imaging;
using IpIqa.Training.Data;

namespace IpIqa.Training.Training;

/// <summary>The data set of a stage with the tokenizer and the preprocessor that turn its samples into tensors.</summary>
public sealed class StageData
{
    private readonly IReadOnlySet<string> _excludedPrompts;

    private StageData(IqaDataset dataset, PixelSource pixels, PromptTokens tokens, IReadOnlySet<string> excludedPrompts)
    {
        _excludedPrompts = excludedPrompts;
        Dataset = dataset;
        Pixels = pixels;
        Tokens = tokens;
    }

    public IqaDataset Dataset { get; }

    public PixelSource Pixels { get; }

    public PromptTokens Tokens { get; }

    public static StageData Load(StageInputs inputs, int resolution, int contextLength, string device = "cpu")
    {
        var dataset = IqaDataset.Load(inputs.Kind, inputs.Data, inputs.Images);
        if (!File.Exists(inputs.Vocab))
        {
            throw new InvalidDataException($"{inputs.Vocab}: the CLIP BPE vocabulary file does not exist.");
        }

        var tokenizer = new ClipBpeTokenizer(ClipBpeVocabulary.FromOpenAiFile(inputs.Vocab), contextLength);
        var spec = new PreprocessSpec(resolution, BundleInput.ClipMean, BundleInput.ClipStd);
        var pixels = new PixelSource(new ImagePreprocessor(new ImagingOptions()), spec);
        return new StageData(dataset, pixels, new PromptTokens(tokenizer), inputs.ExcludedPrompts) { Device = new TorchSharp.torch.Device(device) };
    }

    /// <summary>The device every set's batches go to (the model's).</summary>
    public TorchSharp.torch.Device Device { get; init; } = TorchSharp.torch.CPU;

    public SampleSet Set(string name, IReadOnlyList<IqaSample> samples) => new(name, samples, Pixels, Tokens) { Device = Device };

    /// <summary>
    /// The pairs a pretraining stage learns from: those with alignment MOS at least <paramref name="minAlignment"/>
    /// (all when null), less the excluded prompts (<see cref="StageInputs.ExcludedPrompts"/>).
    /// </summary>
    public IReadOnlyList<IqaSample> Pairs(double? minAlignment)
    {
        var samples = Dataset.Samples.Where(s => !_excludedPrompts.Contains(s.Prompt)).ToArray();
        if (minAlignment is not { } min)
        {
            return samples;
        }

        if (!Dataset.HasAlignment)
        {
            throw new InvalidDataException($"{Dataset.Source}: pair_min_alignment = {min} needs an alignment MOS, which this data set lacks.");
        }

        var pairs = samples.Where(s => s.Alignment >= min).ToArray();
        return pairs.Length >= 4
            ? pairs
            : throw new InvalidDataException($"{Dataset.Source}: only {pairs.Length} pair(s) have alignment MOS >= {min}; lower pair_min_alignment.");
    }

    /// <summary>Train and validation by prompt group: <paramref name="validationFraction"/> of the prompts go to validation.</summary>
    public (SampleSet Train, SampleSet Validation) SplitByPrompt(IReadOnlyList<IqaSample> samples, double validationFraction, int seed)
    {
        var split = PromptSplitter.Split(samples, new SplitProtocol(1, seed, validationFraction))[0];
        return (Set("train", split.Train), Set("val", split.Test));
    }
}
