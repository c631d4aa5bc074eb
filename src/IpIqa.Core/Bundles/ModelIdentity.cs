using System.Security.Cryptography;
using System.Text;
using IpIqa.Core.Contracts;

namespace IpIqa.Core.Bundles;

/// <summary>
/// Names the model behind a result: the bundle's name and version, and a hash over the files that
/// decide its outputs (every graph and the tokenizer files). Every component computes the hash
/// here, so a worker, the CLI and the nightly rescoring agree on it.
/// </summary>
public sealed record ModelIdentity(string Name, string Version, string Hash)
{
    /// <summary>Hex characters of the short hash.</summary>
    public const int ShortHashLength = 12;

    /// <summary>
    /// The identity of <paramref name="manifest"/>. The hash is SHA-256 over the lines
    /// <c>graph:text:SHA</c>, <c>graph:image:SHA</c>, <c>graph:head:SHA</c> (only in a bundle with a head
    /// graph, which explained words run) and <c>tokenizer:PATH:SHA</c> (tokenizer files in ordinal path
    /// order), each ending in <c>\n</c>, cut to <see cref="ShortHashLength"/> lower-case hex characters.
    /// File hashes are taken from the manifest, lower-cased. Two bundles that differ in any graph they
    /// run never share a hash; a bundle without a head keeps the hash it had before heads counted.
    /// </summary>
    public static ModelIdentity FromManifest(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new ModelIdentity(manifest.Name, manifest.Version, ComputeHash(manifest));
    }

    /// <summary>The full (64 hex) model hash of <paramref name="manifest"/>.</summary>
    public static string ComputeFullHash(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var text = new StringBuilder();
        text.Append("graph:text:").Append(manifest.Graphs.Text.Sha256.ToLowerInvariant()).Append('\n');
        text.Append("graph:image:").Append(manifest.Graphs.Image.Sha256.ToLowerInvariant()).Append('\n');
        if (manifest.Graphs.Head is { } head)
        {
            text.Append("graph:head:").Append(head.Sha256.ToLowerInvariant()).Append('\n');
        }

        foreach (var (path, sha) in manifest.Tokenizer.Sha256.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("tokenizer:").Append(path).Append(':').Append(sha.ToLowerInvariant()).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string ComputeHash(BundleManifest manifest) => ComputeFullHash(manifest)[..ShortHashLength];

    /// <summary>The model as results name it.</summary>
    public ModelInfo ToModelInfo() => new(Name, Version, Hash);

    public override string ToString() => $"{Name}@{Version} ({Hash})";
}
