using System.Security.Cryptography;
using IpIqa.Core.Bundles;

namespace IpIqa.Core.Tokenization;

/// <summary>
/// Builds the tokenizer a bundle describes: its <c>tokenizer</c> section names the files
/// (relative to the bundle folder), their SHA-256 and the context length.
/// </summary>
public static class BundleTokenizerLoader
{
    /// <summary>Reads <c>bundle.json</c> in <paramref name="bundleFolder"/> and loads its tokenizer.</summary>
    /// <exception cref="InvalidDataException">The manifest or a tokenizer file is missing, malformed or fails its hash.</exception>
    public static ClipBpeTokenizer LoadFromFolder(string bundleFolder) =>
        Load(BundleManifestSerializer.ReadFromFolder(bundleFolder), bundleFolder);

    /// <summary>Loads the tokenizer that <paramref name="manifest"/> describes, its files under <paramref name="bundleFolder"/>.</summary>
    /// <exception cref="InvalidDataException">A tokenizer file is missing, outside the bundle, malformed or fails its hash.</exception>
    public static ClipBpeTokenizer Load(BundleManifest manifest, string bundleFolder)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var spec = manifest.Tokenizer;
        ClipBpeVocabulary vocabulary;
        if (!string.IsNullOrWhiteSpace(spec.Bpe))
        {
            vocabulary = ClipBpeVocabulary.FromOpenAiFile(Resolve(bundleFolder, spec, spec.Bpe, "tokenizer.bpe"));
        }
        else if (!string.IsNullOrWhiteSpace(spec.Vocab) && !string.IsNullOrWhiteSpace(spec.Merges))
        {
            vocabulary = ClipBpeVocabulary.FromHuggingFaceFiles(
                Resolve(bundleFolder, spec, spec.Vocab, "tokenizer.vocab"),
                Resolve(bundleFolder, spec, spec.Merges, "tokenizer.merges"));
        }
        else
        {
            throw new InvalidDataException("The bundle's tokenizer section names no files: set 'bpe', or 'vocab' and 'merges'.");
        }

        return new ClipBpeTokenizer(vocabulary, spec.ContextLength);
    }

    /// <summary>The full path of a tokenizer file; it must stay inside the bundle, exist, and match its SHA-256 when one is given.</summary>
    private static string Resolve(string bundleFolder, BundleTokenizer spec, string relativePath, string key)
    {
        var root = Path.GetFullPath(bundleFolder);
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(relativePath) || !path.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{key} '{relativePath}' must be a path inside the bundle folder '{root}'.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{key} names '{relativePath}', which is not in the bundle folder '{root}'.");
        }

        // Opened even without a hash to check: a FIFO or device would hang the vocabulary's reader.
        using var stream = BundleFile.OpenRead(path, key);
        if (spec.Sha256.TryGetValue(relativePath, out var expected))
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{key} '{relativePath}' has SHA-256 {actual}; the bundle declares {expected}.");
            }
        }

        return path;
    }
}
