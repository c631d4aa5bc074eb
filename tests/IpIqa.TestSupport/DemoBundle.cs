using System.Text.Json.Nodes;

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

    /// <summary>
    /// A copy of the bundle in <paramref name="folder"/> whose manifest does not list the image graph's attention
    /// output, as a bundle exported before explanations existed (the demo has one since 1.2.0). Returns the folder.
    /// </summary>
    public static string CopyWithoutAttention(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Folder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(folder, "bundle.json");
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        var outputs = json["graphs"]!["image"]!["outputs"]!.AsArray();
        outputs.Remove(outputs.Single(o => (string?)o == "attention"));
        File.WriteAllText(manifest, json.ToJsonString());
        return folder;
    }

    /// <summary>
    /// A copy of the bundle in <paramref name="source"/> in <paramref name="folder"/> without its head graph, as a bundle
    /// exported before head graphs existed: <c>bundle.json</c> lists none and <c>head.onnx</c> is gone. Returns the folder.
    /// </summary>
    public static string CopyWithoutHead(string source, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != "head.onnx"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(folder, "bundle.json");
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["graphs"]!.AsObject().Remove("head");
        File.WriteAllText(manifest, json.ToJsonString());
        return folder;
    }

    /// <summary>A file of <c>samples/</c>, e.g. <c>good-clean.png</c>.</summary>
    public static string Sample(string fileName) => Path.Combine(Fixtures.RepositoryRoot, "samples", fileName);
}
