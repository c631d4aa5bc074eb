using System.Text.Json;
using IpIqa.Model;
using IpIqa.TestSupport;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests;

/// <summary>The reference model's fixture files (tests/fixtures/ipiqa-reference).</summary>
internal static class Reference
{
    public const string Folder = "ipiqa-reference";
    public const string Manifest = Folder + "/manifest.json";
    public const string IpIqaPt = Folder + "/ipiqa.pt";
    public const string IpIqaSafetensors = Folder + "/ipiqa.safetensors";
    public const string ClipPt = Folder + "/clip.pt";
    public const string Pixels = Folder + "/pixels.f32";
    public const string Vocab = "clip-bpe/bpe_simple_vocab_16e6.txt.gz";

    public static string PathOf(string relative) => Fixtures.PathOf(relative);

    public static IpIqaConfig Config() => IpIqaConfig.Load(PathOf(Manifest));

    /// <summary>A fixture tensor, shaped as the manifest says.</summary>
    public static Tensor Load(string name)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(PathOf(Manifest)));
        var entry = manifest.RootElement.GetProperty("tensors").GetProperty(name);
        var shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var values = Fixtures.ReadF32(Folder, entry.GetProperty("file").GetString()!);
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), values.LongLength);
        return tensor(values).reshape(shape);
    }

    public static Tensor TokenIds()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(PathOf(Manifest)));
        var rows = manifest.RootElement.GetProperty("samples").EnumerateArray()
            .Select(s => s.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray())
            .ToArray();
        return tensor(rows.SelectMany(r => r).ToArray()).reshape(rows.Length, rows[0].Length);
    }

    /// <summary>Largest absolute difference; asserts equal shapes.</summary>
    public static double MaxAbsDiff(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max();
        return diff.item<double>();
    }
}
