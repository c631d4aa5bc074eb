using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>Source-generated JSON metadata for <c>bundle.json</c>.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(BundleManifest))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;
