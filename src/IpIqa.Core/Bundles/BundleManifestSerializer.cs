using System.Text.Json;

namespace IpIqa.Core.Bundles;

/// <summary>Reads and writes <c>bundle.json</c>.</summary>
public static class BundleManifestSerializer
{
    /// <summary>Reads <c>bundle.json</c> from a bundle folder.</summary>
    /// <exception cref="InvalidDataException">The folder or file is missing, or the JSON is not a valid manifest; the message says which.</exception>
    public static BundleManifest ReadFromFolder(string bundleFolder)
    {
        if (!Directory.Exists(bundleFolder))
        {
            throw new InvalidDataException($"Model bundle folder '{bundleFolder}' does not exist.");
        }

        var path = Path.Combine(bundleFolder, BundleManifest.FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"'{bundleFolder}' is not a model bundle: it has no {BundleManifest.FileName}.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read {path}: {ex.Message}", ex);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses manifest JSON; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, misses a required property, or fails validation.</exception>
    public static BundleManifest Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(utf8Json, BundleJsonContext.Default.BundleManifest);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? string.Empty : $" at {ex.Path}";
            throw new InvalidDataException($"{source} is not a valid bundle manifest{where}: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"{source} is empty (JSON null).");
        }

        var problems = Validate(manifest);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{source} is not a valid bundle manifest: {string.Join("; ", problems)}.");
        }

        return manifest;
    }

    public static string Serialize(BundleManifest manifest) => JsonSerializer.Serialize(manifest, BundleJsonContext.Default.BundleManifest);

    public static void WriteToFolder(BundleManifest manifest, string bundleFolder)
    {
        Directory.CreateDirectory(bundleFolder);
        File.WriteAllText(Path.Combine(bundleFolder, BundleManifest.FileName), Serialize(manifest) + "\n");
    }

    /// <summary>The rules a manifest must meet beyond its JSON shape; each problem names its key.</summary>
    public static IReadOnlyList<string> Validate(BundleManifest manifest)
    {
        var problems = new List<string>();
        if (manifest.SchemaVersion != BundleManifest.CurrentSchemaVersion)
        {
            problems.Add($"schemaVersion is {manifest.SchemaVersion}; this build reads schemaVersion {BundleManifest.CurrentSchemaVersion}");
        }

        if (string.IsNullOrWhiteSpace(manifest.Name))
        {
            problems.Add("name is empty");
        }

        if (string.IsNullOrWhiteSpace(manifest.Version))
        {
            problems.Add("version is empty");
        }

        var tokenizer = manifest.Tokenizer;
        var hasBpe = !string.IsNullOrWhiteSpace(tokenizer.Bpe);
        var hasPair = !string.IsNullOrWhiteSpace(tokenizer.Vocab) || !string.IsNullOrWhiteSpace(tokenizer.Merges);
        if (tokenizer.Type != "clip-bpe")
        {
            problems.Add($"tokenizer.type is '{tokenizer.Type}'; only 'clip-bpe' is supported");
        }

        if (hasBpe == hasPair)
        {
            problems.Add("tokenizer needs either 'bpe' or both 'vocab' and 'merges', not both and not neither");
        }
        else if (hasPair && (string.IsNullOrWhiteSpace(tokenizer.Vocab) || string.IsNullOrWhiteSpace(tokenizer.Merges)))
        {
            problems.Add("tokenizer.vocab and tokenizer.merges go together; one of them is missing");
        }

        if (tokenizer.ContextLength < 2)
        {
            problems.Add($"tokenizer.context_length is {tokenizer.ContextLength}; it must be at least 2");
        }

        if (manifest.Outputs.Count == 0)
        {
            problems.Add("outputs is empty");
        }

        return problems;
    }
}
