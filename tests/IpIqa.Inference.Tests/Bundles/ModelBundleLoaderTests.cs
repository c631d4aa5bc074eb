using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IpIqa.Core.Bundles;
using IpIqa.Inference.Bundles;
using IpIqa.TestSupport;

namespace IpIqa.Inference.Tests.Bundles;

public sealed class ModelBundleLoaderTests : IDisposable
{
    private readonly TempDirectory _folder = new("bundle");

    public ModelBundleLoaderTests()
    {
        File.WriteAllBytes(_folder.Combine("text.onnx"), [1, 2, 3]);
        File.WriteAllBytes(_folder.Combine("image.onnx"), [4, 5, 6, 7]);
        File.WriteAllBytes(_folder.Combine("bpe.txt.gz"), [8]);
        BundleManifestSerializer.WriteToFolder(Manifest(), _folder.Path);
    }

    public void Dispose() => _folder.Dispose();

    private string Sha(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_folder.Combine(file))));

    private BundleManifest Manifest(Func<BundleGraph, BundleGraph>? editImage = null) => new()
    {
        Name = "tiny",
        Version = "1",
        Architecture = new BundleArchitecture { EmbedDim = 8, OutputDim = 2 },
        Input = new BundleInput { Resolution = 32 },
        Tokenizer = new BundleTokenizer { Bpe = "bpe.txt.gz", Sha256 = new Dictionary<string, string> { ["bpe.txt.gz"] = Sha("bpe.txt.gz") } },
        Graphs = new BundleGraphs
        {
            Text = new BundleGraph { File = "text.onnx", Sha256 = Sha("text.onnx"), Inputs = ["input_ids"], Outputs = ["text_features"] },
            Image = (editImage ?? (g => g))(new BundleGraph { File = "image.onnx", Sha256 = Sha("image.onnx"), Inputs = ["pixels", "text_features"], Outputs = ["scores"] }),
        },
    };

    [Fact]
    public void ASoundBundleLoads_WithItsIdentity()
    {
        var bundle = ModelBundleLoader.Load(_folder.Path);

        Assert.Equal("tiny", bundle.Identity.Name);
        Assert.Equal(ModelIdentity.FromManifest(bundle.Manifest).Hash, bundle.Identity.Hash);
        Assert.Equal(_folder.Combine("image.onnx"), bundle.ImageGraphPath);
        Assert.Equal(32, bundle.ImageSize);
    }

    [Fact]
    public void AHeadGraphLoads_WhenItReadsImageFeaturesTheImageGraphOutputs()
    {
        File.WriteAllBytes(_folder.Combine("head.onnx"), [5]);
        BundleManifestSerializer.WriteToFolder(WithHead(["image_feature_0"], "head.onnx"), _folder.Path);

        var bundle = ModelBundleLoader.Load(_folder.Path);

        Assert.Equal(_folder.Combine("head.onnx"), bundle.HeadGraphPath);
    }

    [Fact]
    public void AHeadGraphThatReadsAFeatureTheImageGraphLacks_OrIsMissing_IsRefused_NamingBoth()
    {
        BundleManifestSerializer.WriteToFolder(WithHead(["image_feature_0", "image_feature_1"], "head.onnx"), _folder.Path);

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("graphs.head reads 'image_feature_1', which graphs.image does not list as an output", error.Message, StringComparison.Ordinal);
        Assert.Contains("graphs.head (head.onnx): file 'head.onnx' is missing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'image_feature_0'", error.Message, StringComparison.Ordinal);
    }

    private BundleManifest WithHead(string[] features, string file)
    {
        var manifest = Manifest(g => g with { Outputs = ["scores", "image_feature_0"] });
        var sha = File.Exists(_folder.Combine(file)) ? Sha(file) : new string('0', 64);
        var head = new BundleGraph { File = file, Sha256 = sha, Inputs = ["text_features", .. features], Outputs = ["scores"] };
        return manifest with { Graphs = manifest.Graphs with { Head = head } };
    }

    [Fact]
    public void AChangedGraphIsAHashMismatch_NamingExpectedAndActual()
    {
        var expected = Sha("image.onnx");
        File.WriteAllBytes(_folder.Combine("image.onnx"), [9, 9]);

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains($"SHA-256 mismatch for 'image.onnx': expected {expected}, actual {Sha("image.onnx")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        File.Delete(_folder.Combine("bpe.txt.gz"));

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("file 'bpe.txt.gz' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGraphWithoutAnExpectedInputIsNamed()
    {
        BundleManifestSerializer.WriteToFolder(Manifest(g => g with { Inputs = ["pixels"] }), _folder.Path);

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("graphs.image does not list the input 'text_features'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APathLeavingTheBundleIsRefused()
    {
        BundleManifestSerializer.WriteToFolder(Manifest(g => g with { File = "../image.onnx" }), _folder.Path);

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("'../image.onnx' leaves the bundle folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnsupportedSchemaVersionIsNamed()
    {
        var path = _folder.Combine(BundleManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["schemaVersion"] = 7;
        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("schemaVersion", error.Message, StringComparison.Ordinal);
        Assert.Contains("7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutAManifestIsNamed()
    {
        File.Delete(_folder.Combine(BundleManifest.FileName));

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("has no bundle.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGraphThatLinksToADeviceIsRefusedUnread()
    {
        // /dev/zero would be hashed for ever and a FIFO would block the open; /dev/null stands for both and ends.
        File.Delete(_folder.Combine("image.onnx"));
        File.CreateSymbolicLink(_folder.Combine("image.onnx"), "/dev/null");

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("is a character device, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestOfMoreThanOneMebibyteIsRefused()
    {
        var path = _folder.Combine(BundleManifest.FileName);
        File.AppendAllText(path, new string(' ', BundleFile.MaxManifestBytes));

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains($"more than {BundleFile.MaxManifestBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestThatLinksToADeviceIsRefusedUnread()
    {
        var path = _folder.Combine(BundleManifest.FileName);
        File.Delete(path);
        File.CreateSymbolicLink(path, "/dev/null");

        var error = Assert.Throws<InvalidDataException>(() => ModelBundleLoader.Load(_folder.Path));

        Assert.Contains("is a character device, not a regular file", error.Message, StringComparison.Ordinal);
    }
}
