using IpIqa.TestSupport;
using IpIqa.Training.Import;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Training.Tests.Import;

public sealed class ClipImportTests
{
    [FixtureFact(Reference.Manifest, Reference.ClipPt, Reference.Pixels)]
    public void ClipWeightsAt224_ReproduceClipImageAndTextFeatures()
    {
        using var scope = NewDisposeScope();
        var config = Reference.Config() with { InputResolution = 224 };
        using var imported = new CheckpointImporter().Import(Reference.PathOf(Reference.ClipPt), CheckpointFormat.Clip, config);
        var model = imported.Model;
        model.eval();
        using var noGrad = no_grad();

        var pixels = functional.interpolate(Reference.Load("pixels"), size: [224, 224], mode: InterpolationMode.Bilinear, align_corners: false);
        var image = model.EncodeImage(pixels);
        var text = model.EncodeText(Reference.TokenIds());

        Assert.InRange(Reference.MaxAbsDiff(image, Reference.Load("clip_image_features")), 0, 1e-4);
        Assert.InRange(Reference.MaxAbsDiff(text, Reference.Load("clip_text_features")), 0, 1e-4);
    }

    [FixtureFact(Reference.Manifest, Reference.ClipPt)]
    public void ClipImport_LeavesOnlyPoolAndHeadFresh_AndResizesPositionalEmbedding()
    {
        using var scope = NewDisposeScope();
        using var imported = new CheckpointImporter().Import(Reference.PathOf(Reference.ClipPt), CheckpointFormat.Auto, Reference.Config());

        Assert.Equal(CheckpointFormat.Clip, imported.Format);
        Assert.NotEmpty(imported.FreshlyInitialised);
        Assert.All(imported.FreshlyInitialised, k => Assert.True(k.StartsWith("txt_attnpool.", StringComparison.Ordinal) || k.StartsWith("head.", StringComparison.Ordinal), k));
        var resized = imported.Model.state_dict()["attnpool.positional_embedding"];
        Assert.InRange(Reference.MaxAbsDiff(resized, Reference.Load("attnpool_positional_embedding")), 0, 1e-6);
    }

    [FixtureFact(Reference.Manifest, Reference.ClipPt)]
    public void PositionalEmbeddingResize_7To10Grid_MatchesOfficialBicubic()
    {
        using var scope = NewDisposeScope();
        var clip = CheckpointReader.Read(Reference.PathOf(Reference.ClipPt));

        var resized = PositionalEmbeddingResizer.Resize(clip["visual.attnpool.positional_embedding"], 7, 10);

        Assert.InRange(Reference.MaxAbsDiff(resized, Reference.Load("attnpool_positional_embedding")), 0, 1e-6);
    }

    [FixtureFact(Reference.Manifest, Reference.IpIqaPt, Reference.ClipPt)]
    public void BaseClip_SuppliesTextTowerKeysLeftOutOfCheckpoint()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var full = CheckpointReader.Read(Reference.PathOf(Reference.IpIqaPt));
        var partial = full.Where(kv => !kv.Key.StartsWith("txt_model.", StringComparison.Ordinal) && kv.Key != "ln_final.weight")
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var path = dir.Combine("partial.safetensors");
        using (var stream = File.Create(path))
        {
            TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, partial);
        }

        var importer = new CheckpointImporter();
        var error = Assert.Throws<CheckpointException>(() => importer.Import(path, CheckpointFormat.IpIqa, Reference.Config()));
        Assert.Contains("txt_model.resblocks.0.attn.in_proj_weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("ln_final.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("--base-clip", error.Message, StringComparison.Ordinal);

        using var completed = importer.Import(path, CheckpointFormat.IpIqa, Reference.Config(), Reference.PathOf(Reference.ClipPt));
        Assert.Contains("txt_model.resblocks.1.mlp.c_fc.weight", completed.FromBaseClip);
        Assert.Contains("ln_final.weight", completed.FromBaseClip);
        Assert.DoesNotContain("wte.weight", completed.FromBaseClip);
    }
}
