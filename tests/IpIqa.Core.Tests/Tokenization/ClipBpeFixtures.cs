using System.Text.Json;
using IpIqa.Core.Tokenization;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Tokenization;

/// <summary>The CLIP BPE fixture files and one tokenizer built from them, shared by the tests.</summary>
internal static class ClipBpeFixtures
{
    public const string BpeFile = "clip-bpe/bpe_simple_vocab_16e6.txt.gz";
    public const string CasesFile = "clip-bpe/cases.jsonl";
    public const string ManifestFile = "ipiqa-reference/manifest.json";

    private static readonly Lazy<ClipBpeVocabulary> LazyVocabulary = new(() => ClipBpeVocabulary.FromOpenAiFile(Fixtures.PathOf(BpeFile)));
    private static readonly Lazy<ClipBpeTokenizer> LazyTokenizer = new(() => new ClipBpeTokenizer(Vocabulary));
    private static readonly Lazy<IReadOnlyList<ReferenceCase>> LazyCases = new(LoadCases);

    public static ClipBpeVocabulary Vocabulary => LazyVocabulary.Value;

    public static ClipBpeTokenizer Tokenizer => LazyTokenizer.Value;

    public static IReadOnlyList<ReferenceCase> Cases => LazyCases.Value;

    /// <summary>Line numbers (1-based) of cases.jsonl, or nothing when the fixture is absent (the test then skips).</summary>
    public static TheoryData<int> CaseLines()
    {
        var data = new TheoryData<int>();
        if (File.Exists(Fixtures.PathOf(CasesFile)))
        {
            for (var line = 1; line <= Cases.Count; line++)
            {
                data.Add(line);
            }
        }

        return data;
    }

    public static IReadOnlyList<ReferenceCase> ManifestPrompts()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(ManifestFile)));
        return [.. document.RootElement.GetProperty("samples").EnumerateArray().Select(sample => new ReferenceCase(
            sample.GetProperty("prompt").GetString()!,
            [.. sample.GetProperty("token_ids").EnumerateArray().Select(id => id.GetInt64())],
            null))];
    }

    private static List<ReferenceCase> LoadCases()
    {
        var cases = new List<ReferenceCase>();
        foreach (var line in File.ReadLines(Fixtures.PathOf(CasesFile)).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            cases.Add(new ReferenceCase(
                root.GetProperty("text").GetString()!,
                [.. root.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64())],
                root.GetProperty("truncated").GetBoolean()));
        }

        return cases;
    }

    internal sealed record ReferenceCase(string Text, long[] Ids, bool? Truncated);
}
