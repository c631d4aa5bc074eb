using IpIqa.Core.Bundles;
using IpIqa.Core.Tokenization;
using IpIqa.Training.Bundles;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Bundles;

public sealed class BundleWriterTests(ReferenceBundleFixture bundle) : IClassFixture<ReferenceBundleFixture>
{
    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Written_manifest_reads_back_with_the_architecture_input_and_outputs()
    {
        var written = bundle.Manifest;
        var read = BundleManifestSerializer.ReadFromFolder(bundle.Folder);

        Assert.Equal("ipiqa-reference", read.Name);
        Assert.Equal("0.0.1-test", read.Version);
        Assert.Equal(written.Architecture.InputResolution, read.Input.Resolution);
        Assert.Equal(BundleInput.ClipMean, read.Input.Mean);
        Assert.Equal(BundleInput.ClipStd, read.Input.Std);
        Assert.Equal(["quality", "alignment"], read.Outputs);
        Assert.Equal("mlp", read.Architecture.Head);
        Assert.Equal(ReferenceModel.Instance.Architecture.EmbedDim, read.Architecture.EmbedDim);
        Assert.Equal(ReferenceModel.Instance.Architecture.VisionLayers, read.Architecture.VisionLayers);
        Assert.Equal("import: ipiqa.safetensors", read.Provenance?.Source);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Graph_and_tokenizer_hashes_match_the_files_in_the_bundle()
    {
        var manifest = BundleManifestSerializer.ReadFromFolder(bundle.Folder);

        foreach (var graph in new[] { manifest.Graphs.Text, manifest.Graphs.Image })
        {
            Assert.Equal(17, graph.Opset);
            Assert.Equal(BundleWriter.Sha256Of(bundle.PathOf(graph.File)), graph.Sha256);
        }

        Assert.Equal("bpe_simple_vocab_16e6.txt.gz", manifest.Tokenizer.Bpe);
        var copied = bundle.PathOf(manifest.Tokenizer.Bpe!);
        Assert.Equal(File.ReadAllBytes(Fixtures.PathOf(ReferenceModel.Vocab)), File.ReadAllBytes(copied));
        Assert.Equal(BundleWriter.Sha256Of(copied), manifest.Tokenizer.Sha256[manifest.Tokenizer.Bpe!]);
        Assert.Equal(64, manifest.Tokenizer.Sha256[manifest.Tokenizer.Bpe!].Length);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Bundle_tokenizer_loads_and_reproduces_the_reference_token_ids()
    {
        var tokenizer = BundleTokenizerLoader.LoadFromFolder(bundle.Folder);

        var prompts = ReferenceModel.Instance.Prompts;
        for (var i = 0; i < prompts.Count; i++)
        {
            Assert.Equal(ReferenceModel.Instance.TokenIds[i], tokenizer.Encode(prompts[i]).Ids);
        }
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Missing_tokenizer_file_fails_naming_it()
    {
        using var folder = new TempDirectory();
        var request = new BundleExportRequest
        {
            Name = "x",
            Version = "1",
            Architecture = ReferenceModel.Instance.Architecture,
            Weights = ReferenceModel.Instance.Weights,
            VocabPath = folder.Combine("absent-vocab.txt.gz"),
            OutputFolder = folder.Combine("bundle"),
        };

        var error = Assert.Throws<InvalidDataException>(() => BundleWriter.Write(request, CancellationToken.None));

        Assert.Contains("absent-vocab.txt.gz", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("bundle", BundleManifest.FileName)));
    }
}
