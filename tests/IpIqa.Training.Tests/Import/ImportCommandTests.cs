using IpIqa.TestSupport;
using IpIqa.Training.Commands;
using IpIqa.Training.Import;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Import;

public sealed class ImportCommandTests
{
    [FixtureFact(Reference.Manifest, Reference.IpIqaPt, Reference.Pixels, Reference.Vocab)]
    public void Import_WritesBundleAndCheckpointFolder_ThatReloadsToTheSameScores()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var bundle = new DirectoryInfo(dir.Combine("bundle"));
        var output = new DirectoryInfo(dir.Combine("out"));

        var exit = ImportCommand.Run(
            new FileInfo(Reference.PathOf(Reference.IpIqaPt)), "ipiqa", new FileInfo(Reference.PathOf(Reference.Manifest)),
            null, new FileInfo(Reference.PathOf(Reference.Vocab)), bundle, checkpointOut: output, name: "fixture", version: "1.0.0");

        Assert.Equal(0, exit);
        var manifest = IpIqa.Core.Bundles.BundleManifestSerializer.ReadFromFolder(bundle.FullName);
        Assert.Equal("fixture", manifest.Name);
        Assert.Equal("import: ipiqa.pt (IpIqa)", manifest.Provenance?.Source);
        Assert.True(File.Exists(Path.Combine(bundle.FullName, manifest.Graphs.Text.File)));
        Assert.True(File.Exists(Path.Combine(bundle.FullName, manifest.Graphs.Image.File)));
        Assert.True(File.Exists(Path.Combine(output.FullName, "bpe_simple_vocab_16e6.txt.gz")));
        using var model = TorchCheckpoint.Load(output.FullName);
        Assert.Equal("mlp", model.Config.Head);
        using var result = model.Predict(Reference.Load("pixels"), Reference.TokenIds());
        Assert.InRange(Reference.MaxAbsDiff(result.Scores, Reference.Load("scores")), 0, 1e-4);
    }

    [FixtureFact(Reference.Manifest, Reference.IpIqaPt, Reference.Vocab)]
    public void Import_WithPrecisionFp16_WritesAnFp16ImageGraphAndAnFp32TextGraph()
    {
        using var dir = new TempDirectory();
        var bundle = new DirectoryInfo(dir.Combine("bundle"));

        var exit = ImportCommand.Run(
            new FileInfo(Reference.PathOf(Reference.IpIqaPt)), "ipiqa", new FileInfo(Reference.PathOf(Reference.Manifest)),
            null, new FileInfo(Reference.PathOf(Reference.Vocab)), bundle, precision: IpIqa.Core.Bundles.BundlePrecision.Fp16);

        Assert.Equal(0, exit);
        var manifest = IpIqa.Core.Bundles.BundleManifestSerializer.ReadFromFolder(bundle.FullName);
        Assert.Equal("fp16", manifest.Graphs.Image.Precision);
        Assert.Equal("fp32", manifest.Graphs.Text.Precision);
    }

    [FixtureFact(Reference.Manifest, Reference.ClipPt, Reference.Vocab)]
    public void ImportTwiceIntoSameFolder_Succeeds()
    {
        using var dir = new TempDirectory();
        var output = new DirectoryInfo(dir.Combine("out"));
        var vocab = new FileInfo(Reference.PathOf(Reference.Vocab));
        var config = new FileInfo(Reference.PathOf(Reference.Manifest));
        var clip = new FileInfo(Reference.PathOf(Reference.ClipPt));

        Assert.Equal(0, ImportCommand.Run(clip, "clip", config, null, vocab, output));
        Assert.Equal(0, ImportCommand.Run(clip, "clip", config, null, vocab, output));
    }

    [FixtureFact(Reference.Vocab)]
    public void Import_OfNonCheckpoint_ReturnsFailureWithoutThrowing()
    {
        using var dir = new TempDirectory();
        var bogus = dir.Combine("bogus.pt");
        File.WriteAllText(bogus, "nope");

        var exit = ImportCommand.Run(new FileInfo(bogus), null, null, null, new FileInfo(Reference.PathOf(Reference.Vocab)), new DirectoryInfo(dir.Combine("out")));

        Assert.Equal(1, exit);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void Import_WithBadConfigFile_ReturnsFailure()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("config.json");
        File.WriteAllText(config, """{ "input_resolution": 300 }""");
        var vocab = dir.Combine("vocab.txt.gz");
        File.WriteAllBytes(vocab, [1]);

        var exit = ImportCommand.Run(new FileInfo(dir.Combine("none.pt")), null, new FileInfo(config), null, new FileInfo(vocab), new DirectoryInfo(dir.Combine("out")));

        Assert.Equal(1, exit);
    }
}
