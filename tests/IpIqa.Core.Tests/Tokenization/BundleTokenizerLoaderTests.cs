using System.Security.Cryptography;
using IpIqa.Core.Bundles;
using IpIqa.Core.Tests.Bundles;
using IpIqa.Core.Tokenization;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Tokenization;

public sealed class BundleTokenizerLoaderTests
{
    private const string GzName = "bpe_simple_vocab_16e6.txt.gz";

    [FixtureFact(ClipBpeFixtures.BpeFile, ClipBpeFixtures.ManifestFile)]
    public void LoadFromFolder_OpenAiFileWithMatchingHash_EncodesLikeTheReference()
    {
        using var bundle = new TempDirectory();
        File.Copy(Fixtures.PathOf(ClipBpeFixtures.BpeFile), bundle.Combine(GzName));
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(bundle.Combine(GzName))));
        BundleManifestSerializer.WriteToFolder(
            TestBundles.Manifest(new BundleTokenizer { Bpe = GzName, Sha256 = new Dictionary<string, string> { [GzName] = hash } }),
            bundle.Path);

        var tokenizer = BundleTokenizerLoader.LoadFromFolder(bundle.Path);

        Assert.Equal(77, tokenizer.ContextLength);
        foreach (var sample in ClipBpeFixtures.ManifestPrompts())
        {
            Assert.Equal(sample.Ids, tokenizer.Encode(sample.Text).Ids);
        }
    }

    [FixtureFact(ClipBpeFixtures.BpeFile, ClipBpeFixtures.ManifestFile)]
    public void Load_HuggingFacePairInSubfolder_EncodesLikeTheReference()
    {
        using var bundle = new TempDirectory();
        Directory.CreateDirectory(bundle.Combine("tokenizer"));
        ClipBpeFixtures.Vocabulary.WriteHuggingFaceFiles(bundle.Combine("tokenizer", "vocab.json"), bundle.Combine("tokenizer", "merges.txt"));
        var manifest = TestBundles.Manifest(new BundleTokenizer { Vocab = "tokenizer/vocab.json", Merges = "tokenizer/merges.txt" });

        var tokenizer = BundleTokenizerLoader.Load(manifest, bundle.Path);

        var sample = ClipBpeFixtures.ManifestPrompts()[0];
        Assert.Equal(sample.Ids, tokenizer.Encode(sample.Text).Ids);
    }

    [Fact]
    public void Load_HashMismatch_NamesFileAndBothHashes()
    {
        using var bundle = new TempDirectory();
        File.WriteAllText(bundle.Combine(GzName), "x");
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = GzName, Sha256 = new Dictionary<string, string> { [GzName] = new string('a', 64) } });

        var error = Assert.Throws<InvalidDataException>(() => BundleTokenizerLoader.Load(manifest, bundle.Path));

        Assert.Contains(GzName, error.Message, StringComparison.Ordinal);
        Assert.Contains(new string('a', 64), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesTheKeyAndPath()
    {
        using var bundle = new TempDirectory();
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = "absent.gz" });

        var error = Assert.Throws<InvalidDataException>(() => BundleTokenizerLoader.Load(manifest, bundle.Path));

        Assert.Contains("tokenizer.bpe names 'absent.gz'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.gz")]
    [InlineData("/etc/passwd")]
    public void Load_PathOutsideTheBundle_IsRejected(string path)
    {
        using var bundle = new TempDirectory();
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = path });

        var error = Assert.Throws<InvalidDataException>(() => BundleTokenizerLoader.Load(manifest, bundle.Path));

        Assert.Contains("inside the bundle folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TokenizerFileLinkedToADeviceWithoutAHash_IsRefusedUnread()
    {
        // Without a hash the file went straight to the vocabulary's reader; a FIFO there blocked the start.
        using var bundle = new TempDirectory();
        File.CreateSymbolicLink(bundle.Combine(GzName), "/dev/null");
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = GzName });

        var error = Assert.Throws<InvalidDataException>(() => BundleTokenizerLoader.Load(manifest, bundle.Path));

        Assert.Contains("is a character device, not a regular file", error.Message, StringComparison.Ordinal);
    }
}
