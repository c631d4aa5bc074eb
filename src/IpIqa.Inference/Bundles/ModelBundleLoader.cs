using System.Security.Cryptography;
using IpIqa.Core.Bundles;

namespace IpIqa.Inference.Bundles;

/// <summary>
/// Reads a bundle folder and checks it before anything runs: the manifest's schema and fields,
/// that every file it names exists inside the folder, and every file's SHA-256.
/// </summary>
public static class ModelBundleLoader
{
    /// <summary>Loads and verifies the bundle in <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidDataException">The bundle is not usable; the message lists every problem found.</exception>
    public static ModelBundle Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var fullFolder = Path.GetFullPath(folder);
        var manifest = BundleManifestSerializer.ReadFromFolder(fullFolder);
        var problems = Verify(fullFolder, manifest);
        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"Model bundle '{fullFolder}' is not usable:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}");
        }

        return new ModelBundle(fullFolder, manifest, ModelIdentity.FromManifest(manifest));
    }

    /// <summary>Every problem of the bundle in <paramref name="folder"/> described by <paramref name="manifest"/>; empty when it is sound.</summary>
    public static IReadOnlyList<string> Verify(string folder, BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        CheckFields(manifest, problems);
        CheckGraph("text", manifest.Graphs.Text, BundleGraphNames.TextInputs, BundleGraphNames.TextOutputs, problems);
        CheckGraph("image", manifest.Graphs.Image, BundleGraphNames.ImageInputs, BundleGraphNames.ImageOutputs, problems);
        CheckFile(folder, $"graphs.text ({manifest.Graphs.Text.File})", manifest.Graphs.Text.File, manifest.Graphs.Text.Sha256, problems);
        CheckFile(folder, $"graphs.image ({manifest.Graphs.Image.File})", manifest.Graphs.Image.File, manifest.Graphs.Image.Sha256, problems);
        if (manifest.Graphs.Head is { } head)
        {
            CheckHead(manifest.Graphs.Image, head, problems);
            CheckFile(folder, $"graphs.head ({head.File})", head.File, head.Sha256, problems);
        }

        foreach (var file in TokenizerFiles(manifest.Tokenizer))
        {
            if (!manifest.Tokenizer.Sha256.TryGetValue(file, out var sha))
            {
                problems.Add($"tokenizer file '{file}' has no entry in tokenizer.sha256.");
                continue;
            }

            CheckFile(folder, $"tokenizer ({file})", file, sha, problems);
        }

        return problems;
    }

    /// <summary>The tokenizer files the manifest names (OpenAI <c>bpe</c>, or HF <c>vocab</c> + <c>merges</c>).</summary>
    public static IReadOnlyList<string> TokenizerFiles(BundleTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new[] { tokenizer.Bpe, tokenizer.Vocab, tokenizer.Merges }.OfType<string>().ToArray();
    }

    /// <summary>Lower-case hex SHA-256 of a file, a regular one only (<see cref="BundleFile"/>).</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = BundleFile.OpenRead(path, Path.GetFileName(path));
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void CheckFields(BundleManifest manifest, List<string> problems)
    {
        if (manifest.Input.Resolution <= 0)
        {
            problems.Add($"input.resolution is {manifest.Input.Resolution}; it must be positive.");
        }

        if (manifest.Input.Mean.Count != 3 || manifest.Input.Std.Count != 3)
        {
            problems.Add($"input.mean and input.std need 3 values each; they have {manifest.Input.Mean.Count} and {manifest.Input.Std.Count}.");
        }

        if (manifest.Architecture.EmbedDim <= 0)
        {
            problems.Add($"architecture.embed_dim is {manifest.Architecture.EmbedDim}; it must be positive.");
        }

        if (manifest.Tokenizer.ContextLength <= 0)
        {
            problems.Add($"tokenizer.context_length is {manifest.Tokenizer.ContextLength}; it must be positive.");
        }

        if (manifest.Outputs.Count == 0 || manifest.Outputs.Count != manifest.Architecture.OutputDim)
        {
            problems.Add($"outputs lists {manifest.Outputs.Count} names but architecture.output_dim is {manifest.Architecture.OutputDim}.");
        }

        if (TokenizerFiles(manifest.Tokenizer).Count == 0)
        {
            problems.Add("tokenizer names no files: set tokenizer.bpe, or tokenizer.vocab and tokenizer.merges.");
        }
    }

    private static void CheckGraph(string role, BundleGraph graph, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, List<string> problems)
    {
        foreach (var name in inputs.Where(n => !graph.Inputs.Contains(n)))
        {
            problems.Add($"graphs.{role} does not list the input '{name}' (it lists: {string.Join(", ", graph.Inputs)}).");
        }

        foreach (var name in outputs.Where(n => !graph.Outputs.Contains(n)))
        {
            problems.Add($"graphs.{role} does not list the output '{name}' (it lists: {string.Join(", ", graph.Outputs)}).");
        }
    }

    /// <summary>The head graph reads the prompt's features and image features that the image graph outputs, and returns scores.</summary>
    private static void CheckHead(BundleGraph image, BundleGraph head, List<string> problems)
    {
        var features = head.Inputs.Where(BundleGraphNames.IsImageFeature).ToArray();
        CheckGraph("head", head, [BundleGraphNames.TextFeatures, .. features], BundleGraphNames.HeadOutputs, problems);
        if (features.Length == 0)
        {
            problems.Add($"graphs.head lists no image feature inputs ({BundleGraphNames.ImageFeaturePrefix}*).");
        }

        foreach (var name in features.Where(f => !image.HasOutput(f)))
        {
            problems.Add($"graphs.head reads '{name}', which graphs.image does not list as an output.");
        }
    }

    private static void CheckFile(string folder, string what, string relativePath, string expectedSha, List<string> problems)
    {
        var path = Path.GetFullPath(Path.Combine(folder, relativePath));
        if (!path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            problems.Add($"{what}: the path '{relativePath}' leaves the bundle folder.");
            return;
        }

        if (!File.Exists(path))
        {
            problems.Add($"{what}: file '{relativePath}' is missing.");
            return;
        }

        string actual;
        try
        {
            actual = Sha256OfFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            problems.Add($"{what}: file '{relativePath}' cannot be read: {ex.Message}");
            return;
        }

        if (!string.Equals(actual, expectedSha, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{what}: SHA-256 mismatch for '{relativePath}': expected {expectedSha}, actual {actual}.");
        }
    }
}
