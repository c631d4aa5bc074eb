using System.Buffers.Binary;
using System.Text.Json;
using IpIqa.TestSupport;

namespace IpIqa.Model.Tests;

public sealed class StateDictKeyTests
{
    private const string Safetensors = "ipiqa-reference/ipiqa.safetensors";
    private const string Manifest = "ipiqa-reference/manifest.json";

    [FixtureFact(Safetensors, Manifest)]
    public void ModelKeysAndShapes_EqualTheOfficialCheckpoint()
    {
        var expected = ReadSafetensorsHeader(Fixtures.PathOf(Safetensors));
        var config = IpIqaConfig.Load(Fixtures.PathOf(Manifest)) with { Head = IpIqaConfig.HeadMlp };
        using var model = new IpIqaModel(config);

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => string.Join(",", kv.Value.shape));

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, kv => Assert.True(kv.Value == actual[kv.Key], $"{kv.Key}: checkpoint [{kv.Value}], model [{actual[kv.Key]}]"));
    }

    [Fact]
    public void Rn50LinearHead_HasOfficialNamesForDownsampleAndHead()
    {
        using var model = new IpIqaModel(IpIqaConfig.Rn50 with { InputResolution = 224 });

        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Contains("resnet50.layer1.0.downsample.0.weight", keys);
        Assert.Contains("resnet50.layer4.2.bn3.running_var", keys);
        Assert.Contains("txt_model.resblocks.11.attn.in_proj_weight", keys);
        Assert.Contains("head.weight", keys);
        Assert.DoesNotContain(keys, k => k.Contains("downsample.-1", StringComparison.Ordinal) || k.StartsWith("qa_token", StringComparison.Ordinal));
        Assert.Equal([50L, 2048L], model.state_dict()["attnpool.positional_embedding"].shape);
        Assert.Equal([2L, 2048L], model.state_dict()["head.weight"].shape);
    }

    private static Dictionary<string, string> ReadSafetensorsHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, length));
        return header.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .ToDictionary(p => p.Name, p => string.Join(",", p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64())));
    }
}
