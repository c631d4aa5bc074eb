using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>Reads and writes <c>bundle.json</c>.</summary>
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

        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses manifest JSON; <paramref name="source"/> names it in error messages.</summary>
    public static BundleManifest Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BundleManifest>(utf8Json, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} is not a valid bundle manifest: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"{source} is empty.");
        }

        if (manifest.SchemaVersion != BundleManifest.CurrentSchemaVersion)
        {
            throw new InvalidDataException(
                $"{source} has schemaVersion {manifest.SchemaVersion}; this build reads schemaVersion {BundleManifest.CurrentSchemaVersion}.");
        }

        return manifest;
    }

    public static string Serialize(BundleManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    public static void WriteToFolder(BundleManifest manifest, string bundleFolder)
    {
        Directory.CreateDirectory(bundleFolder);
        File.WriteAllText(Path.Combine(bundleFolder, BundleManifest.FileName), Serialize(manifest) + "\n");
    }
}
