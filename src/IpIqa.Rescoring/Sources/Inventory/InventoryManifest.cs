using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// The <c>manifest.json</c> of one Azure Blob Inventory rule run: where its report files are (blob
/// names in the destination container, with their sizes), whether the run succeeded, and the rule
/// that made it (format, object type, the schema fields, the prefix filters). Parsed field by field
/// from a document of at most <see cref="MaxBytes"/>, so a hostile or truncated manifest is a clear
/// <see cref="InvalidDataException"/> naming the blob, never a crash.
/// </summary>
internal sealed record InventoryManifest(
    string Blob,
    string RuleName,
    string Status,
    string Format,
    string ObjectType,
    IReadOnlyList<string> SchemaFields,
    IReadOnlyList<string> PrefixMatch,
    bool IncludesVersionsOrSnapshots,
    IReadOnlyList<InventoryFile> Files)
{
    /// <summary>The largest manifest read: a rule run lists a few thousand files at most.</summary>
    public const int MaxBytes = 16 << 20;

    /// <summary>The fields a report must carry for a rescore: the key, the size, the prompt (in the metadata), and a version.</summary>
    public static readonly string[] RequiredFields = ["Name", "Content-Length", "Metadata"];

    /// <summary>Parses <paramref name="json"/>, read from the blob <paramref name="blob"/>.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not an object, or a field missing or of the wrong type.</exception>
    public static InventoryManifest Parse(ReadOnlyMemory<byte> json, string blob)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = Object(document.RootElement, "the document");
            var rule = Object(Property(root, "ruleDefinition"), "ruleDefinition");
            var filters = rule.TryGetProperty("filters", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            var files = Array(Property(root, "files"), "files").Select((file, i) =>
            {
                var entry = Object(file, $"files[{i}]");
                var size = Property(entry, "size");
                return new InventoryFile(
                    Text(Property(entry, "blob"), $"files[{i}].blob"),
                    size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes >= 0 ? bytes : throw new InvalidDataException($"files[{i}].size is not a byte count"));
            }).ToArray();
            return new InventoryManifest(
                blob,
                Text(Property(root, "ruleName"), "ruleName"),
                Text(Property(root, "status"), "status"),
                Text(Property(rule, "format"), "ruleDefinition.format").ToLowerInvariant(),
                Text(Property(rule, "objectType"), "ruleDefinition.objectType").ToLowerInvariant(),
                [.. Array(Property(rule, "schemaFields"), "ruleDefinition.schemaFields").Select((s, i) => Text(s, $"schemaFields[{i}]"))],
                filters.ValueKind == JsonValueKind.Object && filters.TryGetProperty("prefixMatch", out var p)
                    ? [.. Array(p, "filters.prefixMatch").Select((s, i) => Text(s, $"prefixMatch[{i}]"))]
                    : [],
                filters.ValueKind == JsonValueKind.Object && (Flag(filters, "includeBlobVersions") || Flag(filters, "includeSnapshots")),
                files);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Inventory manifest '{blob}' is not valid JSON: {e.Message}", e);
        }
        catch (InvalidDataException e) when (e.InnerException is null)
        {
            throw new InvalidDataException($"Inventory manifest '{blob}': {e.Message}.", e);
        }
    }

    /// <summary>
    /// Why this manifest cannot list <paramref name="container"/>/<paramref name="prefix"/> (null when it can):
    /// the run did not succeed, the rule is not a blob rule in CSV or Parquet, it lacks a field rescore
    /// needs, it lists versions or snapshots (several rows per name), or its prefixes miss the gallery.
    /// </summary>
    public string? Unusable(string container, string prefix)
    {
        if (!string.Equals(Status, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            return $"status '{Status}'";
        }

        if (ObjectType != "blob" || Format is not ("csv" or "parquet"))
        {
            return $"a {ObjectType} rule in {Format} (rescore reads blob rules in csv or parquet)";
        }

        var missing = RequiredFields.Where(f => !Has(f)).ToList();
        if (!Has("Etag") && !Has("Last-Modified"))
        {
            missing.Add("Etag or Last-Modified");
        }

        if (missing.Count > 0)
        {
            return $"rule '{RuleName}' lacks the schema field(s) {string.Join(", ", missing)}";
        }

        if (IncludesVersionsOrSnapshots)
        {
            return $"rule '{RuleName}' includes blob versions or snapshots";
        }

        var gallery = $"{container}/{prefix}";
        return PrefixMatch.Count == 0 || PrefixMatch.Any(p => p.Length == 0 || gallery.StartsWith(p, StringComparison.Ordinal))
            ? null
            : $"rule '{RuleName}' covers only {string.Join(", ", PrefixMatch)}, not {gallery}";
    }

    private bool Has(string field) => SchemaFields.Contains(field, StringComparer.OrdinalIgnoreCase);

    private static JsonElement Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"'{name}' is missing");

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new InvalidDataException($"{what} is not a JSON object");

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw new InvalidDataException($"{what} is not an array");

    private static string Text(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new InvalidDataException($"{what} is not a string");

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
