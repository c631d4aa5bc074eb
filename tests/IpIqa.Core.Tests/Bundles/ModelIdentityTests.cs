using System.Security.Cryptography;
using System.Text;
using IpIqa.Core.Bundles;

namespace IpIqa.Core.Tests.Bundles;

public sealed class ModelIdentityTests
{
    private static BundleManifest Manifest(string textSha, string imageSha, Dictionary<string, string> tokenizer) => new()
    {
        Name = "ipiqa-demo",
        Version = "1.0.0",
        Architecture = new BundleArchitecture(),
        Input = new BundleInput { Resolution = 224 },
        Tokenizer = new BundleTokenizer { Bpe = "bpe.txt.gz", Sha256 = tokenizer },
        Graphs = new BundleGraphs
        {
            Text = new BundleGraph { File = "text.onnx", Sha256 = textSha },
            Image = new BundleGraph { File = "image.onnx", Sha256 = imageSha },
        },
    };

    [Fact]
    public void TheHashIsSha256OverTheGraphAndTokenizerHashes_Cut12()
    {
        var manifest = Manifest("AA", "bb", new() { ["z.txt"] = "02", ["a.txt"] = "01" });
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            "graph:text:aa\ngraph:image:bb\ntokenizer:a.txt:01\ntokenizer:z.txt:02\n")));

        var identity = ModelIdentity.FromManifest(manifest);

        Assert.Equal("ipiqa-demo", identity.Name);
        Assert.Equal("1.0.0", identity.Version);
        Assert.Equal(expected[..12], identity.Hash);
        Assert.Equal(expected, ModelIdentity.ComputeFullHash(manifest));
        Assert.Equal(new Core.Contracts.ModelInfo("ipiqa-demo", "1.0.0", expected[..12]), identity.ToModelInfo());
    }

    [Fact]
    public void AnyChangedFileChangesTheHash()
    {
        var baseline = ModelIdentity.FromManifest(Manifest("aa", "bb", new() { ["a.txt"] = "01" })).Hash;

        Assert.NotEqual(baseline, ModelIdentity.FromManifest(Manifest("ab", "bb", new() { ["a.txt"] = "01" })).Hash);
        Assert.NotEqual(baseline, ModelIdentity.FromManifest(Manifest("aa", "bc", new() { ["a.txt"] = "01" })).Hash);
        Assert.NotEqual(baseline, ModelIdentity.FromManifest(Manifest("aa", "bb", new() { ["a.txt"] = "02" })).Hash);
        Assert.NotEqual(baseline, ModelIdentity.FromManifest(Manifest("bb", "aa", new() { ["a.txt"] = "01" })).Hash);
    }

    [Fact]
    public void Bundles_that_differ_only_in_their_head_graph_have_different_hashes()
    {
        var manifest = Manifest("aa", "bb", new() { ["a.txt"] = "01" });
        var headA = manifest with { Graphs = manifest.Graphs with { Head = new BundleGraph { File = "head.onnx", Sha256 = "c1" } } };
        var headB = manifest with { Graphs = manifest.Graphs with { Head = new BundleGraph { File = "head.onnx", Sha256 = "c2" } } };

        Assert.NotEqual(ModelIdentity.FromManifest(headA).Hash, ModelIdentity.FromManifest(headB).Hash);
        Assert.NotEqual(ModelIdentity.FromManifest(manifest).Hash, ModelIdentity.FromManifest(headA).Hash);
    }

    [Fact]
    public void A_head_graph_adds_its_line_after_the_image_graph()
    {
        var manifest = Manifest("aa", "bb", new() { ["a.txt"] = "01" });
        var withHead = manifest with { Graphs = manifest.Graphs with { Head = new BundleGraph { File = "head.onnx", Sha256 = "CC" } } };
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("graph:text:aa\ngraph:image:bb\ngraph:head:cc\ntokenizer:a.txt:01\n")));

        Assert.Equal(expected, ModelIdentity.ComputeFullHash(withHead));
    }
}
