using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>
/// The CLIP BPE tokenizer files, relative to the bundle folder: either <see cref="Bpe"/>
/// (OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>) or <see cref="Vocab"/> + <see cref="Merges"/>
/// (Hugging Face <c>vocab.json</c> + <c>merges.txt</c>).
/// </summary>
public sealed record BundleTokenizer
{
    [JsonPropertyName("type")] public string Type { get; init; } = "clip-bpe";
    [JsonPropertyName("bpe")] public string? Bpe { get; init; }
    [JsonPropertyName("vocab")] public string? Vocab { get; init; }
    [JsonPropertyName("merges")] public string? Merges { get; init; }
    [JsonPropertyName("context_length")] public int ContextLength { get; init; } = 77;

    /// <summary>SHA-256 (lower-case hex) of each tokenizer file, keyed by its relative path.</summary>
    [JsonPropertyName("sha256")] public IReadOnlyDictionary<string, string> Sha256 { get; init; } = new Dictionary<string, string>();
}
