using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>
/// Reads and writes <c>bundle.json</c>. It uses reflection-based metadata on purpose: the source
/// generator sets every init-only property it does not find in the JSON to null or zero
/// (dotnet/runtime#84484), which would drop the manifest's defaults (outputs, context length).
/// </summary>
public static class BundleManifestSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

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
            bytes = BundleFile.ReadManifest(path);
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
            manifest = JsonSerializer.Deserialize<BundleManifest>(utf8Json, Options);
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

    public static string Serialize(BundleManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    public static void WriteToFolder(BundleManifest manifest, string bundleFolder)
    {
        Directory.CreateDirectory(bundleFolder);
        File.WriteAllText(Path.Combine(bundleFolder, BundleManifest.FileName), Serialize(manifest) + "\n");
    }

    /// <summary>The rules a manifest must meet beyond its JSON shape; each problem names its key.</summary>
    public static IReadOnlyList<string> Validate(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        if (manifest.SchemaVersion != BundleManifest.CurrentSchemaVersion)
        {
            problems.Add($"schemaVersion is {manifest.SchemaVersion}; this build reads schemaVersion {BundleManifest.CurrentSchemaVersion}");
        }

        RequireText(manifest.Name, "name", problems);
        RequireText(manifest.Version, "version", problems);
        RequireObject(manifest.Architecture, "architecture", problems);
        RequireObject(manifest.Input, "input", problems);
        if (RequireObject(manifest.Graphs, "graphs", problems))
        {
            if (RequireObject(manifest.Graphs.Text, "graphs.text", problems))
            {
                CheckPrecision(manifest.Graphs.Text, "graphs.text", problems);
            }

            if (RequireObject(manifest.Graphs.Image, "graphs.image", problems))
            {
                CheckPrecision(manifest.Graphs.Image, "graphs.image", problems);
            }
        }

        if (RequireObject(manifest.Tokenizer, "tokenizer", problems))
        {
            ValidateTokenizer(manifest.Tokenizer, problems);
            if (manifest.Architecture is { } architecture && architecture.ContextLength != manifest.Tokenizer.ContextLength)
            {
                problems.Add($"tokenizer.context_length is {manifest.Tokenizer.ContextLength} but architecture.context_length is {architecture.ContextLength}; they must agree");
            }
        }

        if (manifest.Outputs is null || manifest.Outputs.Count == 0)
        {
            problems.Add("outputs is empty");
        }

        return problems;
    }

    private static void ValidateTokenizer(BundleTokenizer tokenizer, List<string> problems)
    {
        var hasBpe = !string.IsNullOrWhiteSpace(tokenizer.Bpe);
        var hasVocab = !string.IsNullOrWhiteSpace(tokenizer.Vocab);
        var hasMerges = !string.IsNullOrWhiteSpace(tokenizer.Merges);
        if (tokenizer.Type != "clip-bpe")
        {
            problems.Add($"tokenizer.type is '{tokenizer.Type}'; only 'clip-bpe' is supported");
        }

        if (hasBpe == (hasVocab || hasMerges))
        {
            problems.Add("tokenizer needs either 'bpe' or both 'vocab' and 'merges', not both and not neither");
        }
        else if (hasVocab != hasMerges)
        {
            problems.Add($"tokenizer.vocab and tokenizer.merges go together; tokenizer.{(hasVocab ? "merges" : "vocab")} is missing");
        }

        if (tokenizer.ContextLength < 2)
        {
            problems.Add($"tokenizer.context_length is {tokenizer.ContextLength}; it must be at least 2");
        }

        if (tokenizer.Sha256 is null)
        {
            problems.Add("tokenizer.sha256 is null; leave it out or give an object");
        }
    }

    private static void CheckPrecision(BundleGraph graph, string key, List<string> problems)
    {
        if (graph.Precision is { } precision && !BundlePrecision.IsKnown(precision))
        {
            problems.Add($"{key}.precision is '{precision}'; expected one of {string.Join(", ", BundlePrecision.All.Select(p => $"'{p}'"))} (or no precision field, which means fp32)");
        }
    }

    private static void RequireText(string? value, string key, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{key} is empty");
        }
    }

    private static bool RequireObject(object? value, string key, List<string> problems)
    {
        if (value is null)
        {
            problems.Add($"{key} is null");
            return false;
        }

        return true;
    }
}
