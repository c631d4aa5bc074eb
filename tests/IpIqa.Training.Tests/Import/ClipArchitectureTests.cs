using IpIqa.Model;
using IpIqa.TestSupport;
using IpIqa.Training.Import;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Import;

/// <summary>
/// Other CLIP ResNets than RN50: detected from a state dict's block counts and widths (shapes only, as CLIP's
/// build_model reads them), an error that names the config that fits, and an import with that config.
/// </summary>
public sealed class ClipArchitectureTests
{
    /// <summary>A tiny model with RN101's block counts, written with CLIP's key names.</summary>
    private static readonly IpIqaConfig Rn101Blocks = new()
    {
        EmbedDim = 16,
        VisionLayers = [3, 4, 23, 3],
        VisionWidth = 8,
        TransformerWidth = 64,
        TransformerHeads = 1,
        TransformerLayers = 1,
        InputResolution = 64,
        ClipImageResolution = 64,
        TxtPoolHeads = 4,
        ContextLength = 8,
        VocabSize = 64,
    };

    [Theory]
    [InlineData("RN50", new[] { 3, 4, 6, 3 }, 64, 1024, 512, 224)]
    [InlineData("RN101", new[] { 3, 4, 23, 3 }, 64, 512, 512, 224)]
    [InlineData("RN50x4", new[] { 4, 6, 10, 6 }, 80, 640, 640, 288)]
    [InlineData("RN50x16", new[] { 6, 8, 18, 8 }, 96, 768, 768, 384)]
    public void Detect_ReleasedClipShapes_NamesTheModel(string name, int[] layers, int width, int embed, int textWidth, int resolution)
    {
        var detected = ClipArchitecture.Detect(Shapes(layers, width, embed, textWidth, 12, resolution))!;

        Assert.Equal(name, detected.Name);
        Assert.Equal(layers, detected.VisionLayers);
        Assert.Equal((width, embed, textWidth, 12, resolution), (detected.VisionWidth, detected.EmbedDim, detected.TransformerWidth, detected.TransformerLayers, detected.ImageResolution));
    }

    [Fact]
    public void Detect_NotAClipResNetStateDict_IsNull()
    {
        Assert.Null(ClipArchitecture.Detect(new Dictionary<string, long[]> { ["resnet50.layer1.0.conv1.weight"] = [64, 64, 1, 1] }));
    }

    [Theory]
    [InlineData("RN101", "configs/agiqa3k/model-rn101.json", new[] { 3, 4, 23, 3 }, 64, 512, 512, 224)]
    [InlineData("RN50x4", "configs/agiqa3k/model-rn50x4.json", new[] { 4, 6, 10, 6 }, 80, 640, 640, 288)]
    public void ReleasedClip_AgainstTheRn50Config_NamesItself_AndTheShippedConfigThatFits(string name, string config, int[] layers, int width, int embed, int textWidth, int resolution)
    {
        var detected = ClipArchitecture.Detect(Shapes(layers, width, embed, textWidth, 12, resolution))!;

        var message = detected.Describe("clip.pt", IpIqaConfig.Rn50);

        Assert.Contains($"clip.pt is CLIP {name}", message, StringComparison.Ordinal);
        Assert.Contains($"vision_layers: config [3, 4, 6, 3], checkpoint [{string.Join(", ", layers)}]", message, StringComparison.Ordinal);
        Assert.Contains($"--config {config}", message, StringComparison.Ordinal);
        var shipped = IpIqaConfig.Load(Path.Combine(Fixtures.RepositoryRoot, config));
        Assert.Empty(detected.Mismatches(shipped));
        Assert.Equal(detected.Fit(shipped), shipped with { VisionLayers = detected.Fit(shipped).VisionLayers });
    }

    [Fact]
    public void ShippedRn50Config_FitsRn50()
    {
        var rn50 = ClipArchitecture.Detect(Shapes([3, 4, 6, 3], 64, 1024, 512, 12, 224))!;

        Assert.Empty(rn50.Mismatches(IpIqaConfig.Load(Path.Combine(Fixtures.RepositoryRoot, "configs", "agiqa3k", "model.json"))));
    }

    [Fact]
    public void Import_Rn101BlockCounts_WithTheRn50Blocks_FailsNamingTheFit_ThenImportsWithIt()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var path = temp.Combine("clip.safetensors");
        Dictionary<string, Tensor> clip;
        using (var source = new IpIqaModel(Rn101Blocks))
        {
            clip = source.state_dict().Select(kv => (Key: ToClipKey(kv.Key), kv.Value)).Where(kv => kv.Key is not null).ToDictionary(kv => kv.Key!, kv => kv.Value.detach().clone());
        }

        using (var stream = File.Create(path))
        {
            TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, clip);
        }

        var wrong = Rn101Blocks with { VisionLayers = [3, 4, 6, 3] };
        var importer = new CheckpointImporter();

        var error = Assert.Throws<CheckpointException>(() => importer.Import(path, CheckpointFormat.Auto, wrong));

        Assert.Contains("vision_layers: config [3, 4, 6, 3], checkpoint [3, 4, 23, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"vision_layers\": [3, 4, 23, 3]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected keys", error.Message, StringComparison.Ordinal);

        var fitted = ClipArchitecture.Detect(clip.ToDictionary(kv => kv.Key, kv => kv.Value.shape))!.Fit(wrong);
        using var imported = importer.Import(path, CheckpointFormat.Clip, fitted);
        Assert.True(imported.Model.state_dict()["resnet50.layer3.22.conv3.weight"].allclose(clip["visual.layer3.22.conv3.weight"], rtol: 0, atol: 0));
    }

    /// <summary>The IP-IQA key's CLIP name (ClipKeyMap's inverse), or null for a key CLIP does not have.</summary>
    private static string? ToClipKey(string key) => key switch
    {
        "wte.weight" => "token_embedding.weight",
        "txt_pos" => "positional_embedding",
        "text_projection" => key,
        _ when key.StartsWith("ln_final.", StringComparison.Ordinal) => key,
        _ when key.StartsWith("attnpool.", StringComparison.Ordinal) => "visual." + key,
        _ when key.StartsWith("resnet50.", StringComparison.Ordinal) => "visual." + key["resnet50.".Length..],
        _ when key.StartsWith("txt_model.", StringComparison.Ordinal) => "transformer." + key["txt_model.".Length..],
        _ => null,
    };

    /// <summary>The shapes of the keys CLIP's build_model reads (the other keys of a block do not matter).</summary>
    private static Dictionary<string, long[]> Shapes(int[] layers, int width, int embed, int textWidth, int textLayers, int resolution)
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["text_projection"] = [textWidth, embed],
            ["visual.attnpool.positional_embedding"] = [((resolution / 32) * (resolution / 32)) + 1, width * 32],
            ["visual.layer1.0.conv1.weight"] = [width, width, 1, 1],
        };
        for (var b = 0; b < 4; b++)
        {
            for (var i = 0; i < layers[b]; i++)
            {
                shapes.TryAdd($"visual.layer{b + 1}.{i}.bn1.weight", [width]);
            }
        }

        for (var i = 0; i < textLayers; i++)
        {
            shapes[$"transformer.resblocks.{i}.ln_1.weight"] = [textWidth];
        }

        return shapes;
    }
}
