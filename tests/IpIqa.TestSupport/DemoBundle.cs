namespace IpIqa.TestSupport;

/// <summary>
/// The demo bundle committed under <c>models/demo</c> and the sample images under <c>samples/</c>:
/// for tests that need a working model and real images, but not the reference model's outputs.
/// </summary>
public static class DemoBundle
{
    /// <summary>The bundle folder, <c>models/demo</c>.</summary>
    public static string Folder => Path.Combine(Fixtures.RepositoryRoot, "models", "demo");

    /// <summary>The bundle's copy of CLIP's BPE file (the same bytes as the fixtures').</summary>
    public static string Vocab => Path.Combine(Folder, "bpe_simple_vocab_16e6.txt.gz");

    /// <summary>A file of <c>samples/</c>, e.g. <c>good-clean.png</c>.</summary>
    public static string Sample(string fileName) => Path.Combine(Fixtures.RepositoryRoot, "samples", fileName);
}
