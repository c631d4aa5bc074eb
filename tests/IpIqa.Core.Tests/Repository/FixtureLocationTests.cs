using System.Text.Json;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Repository;

/// <summary>The reference fixtures travel with the repository, so a clone runs the parity tests (#18).</summary>
public sealed class FixtureLocationTests
{
    [Fact]
    public void WithoutTheEnvironmentVariable_FixturesAreReadFromTheRepositoryCopy()
    {
        var root = Fixtures.ResolveRoot(environmentValue: null);

        Assert.Equal(Path.Combine(Fixtures.RepositoryRoot, "tests", "fixtures"), root);
        Assert.True(File.Exists(Path.Combine(root, "ipiqa-reference", "manifest.json")), $"no reference manifest under {root}");
        Assert.True(File.Exists(Path.Combine(root, "clip-bpe", "bpe_simple_vocab_16e6.txt.gz")), $"no CLIP BPE file under {root}");
        Assert.True(File.Exists(Path.Combine(root, "metrics_cases.json")), $"no metrics cases under {root}");
    }

    [Fact]
    public void TheEnvironmentVariable_OverridesTheRepositoryCopy()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "ipiqa-other-fixtures");

        Assert.Equal(elsewhere, Fixtures.ResolveRoot(elsewhere));
    }

    [Fact]
    public void EveryReferenceTensorFile_HasTheByteLengthOfItsManifestShape()
    {
        // A text conversion (LF to CRLF) of a binary fixture changes its length; .gitattributes prevents it.
        var folder = Path.Combine(Fixtures.DefaultRoot, "ipiqa-reference");
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        var tensors = manifest.RootElement.GetProperty("tensors").EnumerateObject().ToArray();

        Assert.NotEmpty(tensors);
        foreach (var tensor in tensors)
        {
            var file = new FileInfo(Path.Combine(folder, tensor.Value.GetProperty("file").GetString()!));
            var elements = tensor.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (n, d) => n * d.GetInt64());
            Assert.True(file.Exists, $"{file.FullName} is absent");
            Assert.Equal(elements * sizeof(float), file.Length);
        }
    }
}
