using System.Text.Json;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Support;

/// <summary>The tiny reference IP-IQA model of the fixtures: its weights, config, token ids and reference outputs.</summary>
internal sealed class ReferenceModel
{
    public const string Folder = "ipiqa-reference";
    public const string Safetensors = "ipiqa-reference/ipiqa.safetensors";
    public const string Manifest = "ipiqa-reference/manifest.json";
    public const string Vocab = "clip-bpe/bpe_simple_vocab_16e6.txt.gz";

    private static readonly Lazy<ReferenceModel> LazyInstance = new(() => new ReferenceModel());

    private readonly JsonElement _tensors;

    private ReferenceModel()
    {
        Weights = CheckpointWeights.Read(Fixtures.PathOf(Safetensors));
        Tensors = Weights.Tensors;
        Architecture = ArchitectureConfigReader.Read(Fixtures.PathOf(Manifest), Weights);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(Manifest)));
        _tensors = manifest.RootElement.GetProperty("tensors").Clone();
        var samples = manifest.RootElement.GetProperty("samples").EnumerateArray().ToArray();
        Prompts = samples.Select(s => s.GetProperty("prompt").GetString()!).ToArray();
        TokenIds = samples.Select(s => s.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt64()).ToArray()).ToArray();
    }

    public static ReferenceModel Instance => LazyInstance.Value;

    public IReadOnlyDictionary<string, TensorData> Tensors { get; }

    public WeightSet Weights { get; }

    public BundleArchitecture Architecture { get; }

    public long[][] TokenIds { get; }

    public IReadOnlyList<string> Prompts { get; }

    public int SampleCount => TokenIds.Length;

    /// <summary>A reference tensor from the manifest's <c>tensors</c> table, with its shape.</summary>
    public (float[] Values, long[] Shape) Tensor(string name)
    {
        var entry = _tensors.GetProperty(name);
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var values = Fixtures.ReadF32(Folder, entry.GetProperty("file").GetString()!);
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), values.LongLength);
        return (values, shape);
    }

    /// <summary>Rows <paramref name="start"/>..start+count of a row-major tensor whose first axis is the sample.</summary>
    public static float[] Rows(float[] values, long[] shape, int start, int count)
    {
        var rowSize = (int)(values.LongLength / shape[0]);
        return values.AsSpan(start * rowSize, count * rowSize).ToArray();
    }

    public long[] TokenIdRows(int start, int count) => TokenIds.Skip(start).Take(count).SelectMany(ids => ids).ToArray();
}
