using System.IO.Compression;
using IpIqa.TestSupport;
using IpIqa.Training.Import;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Import;

public sealed class BadCheckpointTests
{
    [Fact]
    public void TextFile_IsRefusedAsNotACheckpoint()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("notes.pt");
        File.WriteAllText(path, "this is not a checkpoint");

        var error = Assert.Throws<CheckpointException>(() => CheckpointReader.Read(path));

        Assert.Contains("not a checkpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsNamed()
    {
        var error = Assert.Throws<CheckpointException>(() => CheckpointReader.Read("/nonexistent/ipiqa.pt"));

        Assert.Contains("/nonexistent/ipiqa.pt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TorchScriptArchive_IsDetectedWithConversionAdvice()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("RN50.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            zip.CreateEntry("RN50/data.pkl");
            zip.CreateEntry("RN50/constants.pkl");
            zip.CreateEntry("RN50/code/__torch__/model.py");
        }

        var error = Assert.Throws<CheckpointException>(() => CheckpointReader.Read(path));

        Assert.Contains("TorchScript", error.Message, StringComparison.Ordinal);
        Assert.Contains("torch.jit.load", error.Message, StringComparison.Ordinal);
        Assert.Contains(".state_dict()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipWithoutPickle_IsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("archive.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            zip.CreateEntry("readme.txt");
        }

        var error = Assert.Throws<CheckpointException>(() => CheckpointReader.Read(path));

        Assert.Contains("data.pkl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LegacyPickle_IsRefusedWithResaveAdvice()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("old.pt");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]);

        var error = Assert.Throws<CheckpointException>(() => CheckpointReader.Read(path));

        Assert.Contains("legacy", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact(Reference.Manifest, Reference.IpIqaSafetensors)]
    public void WrongShape_NamesKeyAndBothShapes()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var weights = CheckpointReader.Read(Reference.PathOf(Reference.IpIqaSafetensors));
        weights["head.out_proj.weight"] = zeros(3, 128);
        var path = dir.Combine("bad-shape.safetensors");
        using (var stream = File.Create(path))
        {
            TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, weights);
        }

        var error = Assert.Throws<CheckpointException>(() => new CheckpointImporter().Import(path, CheckpointFormat.IpIqa, Reference.Config()));

        Assert.Contains("head.out_proj.weight: the model expects [2, 128], the checkpoint has [3, 128]", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact(Reference.Manifest, Reference.IpIqaSafetensors)]
    public void MissingAndUnexpectedKeys_AreAllNamed()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var weights = CheckpointReader.Read(Reference.PathOf(Reference.IpIqaSafetensors));
        weights.Remove("txt_attnpool.cross_attn.q_proj.bias");
        weights.Remove("resnet50.layer2.0.conv2.weight");
        weights["resnet50.attnpool.extra"] = zeros(4);
        var path = dir.Combine("bad-keys.safetensors");
        using (var stream = File.Create(path))
        {
            TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, weights);
        }

        var error = Assert.Throws<CheckpointException>(() => new CheckpointImporter().Import(path, CheckpointFormat.IpIqa, Reference.Config()));

        Assert.Contains("txt_attnpool.cross_attn.q_proj.bias", error.Message, StringComparison.Ordinal);
        Assert.Contains("resnet50.layer2.0.conv2.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected keys: resnet50.attnpool.extra", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact(Reference.Manifest, Reference.ClipPt)]
    public void ClipAtWrongWidth_NamesTheMismatchedField_AndTheValueThatFits()
    {
        var config = Reference.Config() with { TransformerWidth = 64 };

        var error = Assert.Throws<CheckpointException>(() => new CheckpointImporter().Import(Reference.PathOf(Reference.ClipPt), CheckpointFormat.Clip, config));

        Assert.Contains("transformer_width: config 64, checkpoint 32", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"transformer_width\": 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClipVitKey_IsRefused()
    {
        var error = Assert.Throws<CheckpointException>(() => ClipKeyMap.ToIpIqa("visual.transformer.resblocks.0.ln_1.weight"));

        Assert.Contains("ViT", error.Message, StringComparison.Ordinal);
    }
}
