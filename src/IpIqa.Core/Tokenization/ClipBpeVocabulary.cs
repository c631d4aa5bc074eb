using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace IpIqa.Core.Tokenization;

/// <summary>
/// CLIP's BPE vocabulary and merges, read from OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> or from
/// a Hugging Face <c>vocab.json</c> + <c>merges.txt</c> pair.
/// </summary>
public sealed class ClipBpeVocabulary
{
    public const string EndOfWordSuffix = "</w>";

    /// <summary>Merges CLIP takes from the OpenAI file: <c>merges[1 : 49152 - 256 - 2 + 1]</c>.</summary>
    public const int OpenAiMergeCount = 49152 - 256 - 2;

    private const string HuggingFaceMergesHeader = "#version: 0.2";

    private ClipBpeVocabulary(IReadOnlyDictionary<string, int> encoder, IReadOnlyList<(string Left, string Right)> merges)
    {
        Encoder = encoder;
        Merges = merges;
    }

    /// <summary>Token string → id, special tokens included.</summary>
    public IReadOnlyDictionary<string, int> Encoder { get; }

    /// <summary>Merge rules, highest priority first.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public int StartOfTextId => Encoder[ClipPreTokenizer.StartOfText];

    public int EndOfTextId => Encoder[ClipPreTokenizer.EndOfText];

    /// <summary>Most bytes OpenAI's merges file may decompress to (64 MiB; the real one is 3.2 MB), so a gzip bomb is refused.</summary>
    public const int MaxOpenAiFileBytes = 64 << 20;

    /// <summary>Reads OpenAI's gzip merges file and builds the vocabulary the way CLIP does.</summary>
    /// <exception cref="InvalidDataException">The file is missing, not gzip, or has too few or malformed merge lines.</exception>
    public static ClipBpeVocabulary FromOpenAiFile(string path)
    {
        string[] lines;
        try
        {
            lines = Encoding.UTF8.GetString(Decompress(path)).Split('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InvalidDataException($"Cannot read the CLIP BPE file '{path}': {ex.Message}", ex);
        }

        if (lines.Length < OpenAiMergeCount + 1)
        {
            throw new InvalidDataException($"'{path}' has {lines.Length} lines; a CLIP BPE file has at least {OpenAiMergeCount + 1} (a header and {OpenAiMergeCount} merges).");
        }

        var merges = new List<(string, string)>(OpenAiMergeCount);
        for (var line = 1; line <= OpenAiMergeCount; line++)
        {
            merges.Add(ParseMerge(lines[line], path, line + 1));
        }

        var symbols = ByteLevelAlphabet.SymbolsInVocabularyOrder;
        var tokens = new List<string>(symbols.Count * 2 + merges.Count + 2);
        tokens.AddRange(symbols);
        tokens.AddRange(symbols.Select(s => s + EndOfWordSuffix));
        tokens.AddRange(merges.Select(m => m.Item1 + m.Item2));
        tokens.Add(ClipPreTokenizer.StartOfText);
        tokens.Add(ClipPreTokenizer.EndOfText);

        var encoder = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Count; id++)
        {
            encoder[tokens[id]] = id;
        }

        return new ClipBpeVocabulary(encoder, merges);
    }

    /// <summary>Reads a Hugging Face <c>vocab.json</c> (token → id) and <c>merges.txt</c> (optional <c>#version</c> header).</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed, or the vocabulary lacks CLIP's special tokens.</exception>
    public static ClipBpeVocabulary FromHuggingFaceFiles(string vocabPath, string mergesPath)
    {
        Dictionary<string, int>? encoder;
        try
        {
            using var stream = File.OpenRead(vocabPath);
            encoder = JsonSerializer.Deserialize(stream, TokenizationJsonContext.Default.DictionaryStringInt32);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidDataException($"Cannot read the vocabulary '{vocabPath}': {ex.Message}", ex);
        }

        if (encoder is null || encoder.Count == 0)
        {
            throw new InvalidDataException($"The vocabulary '{vocabPath}' is empty.");
        }

        foreach (var special in new[] { ClipPreTokenizer.StartOfText, ClipPreTokenizer.EndOfText })
        {
            if (!encoder.ContainsKey(special))
            {
                throw new InvalidDataException($"The vocabulary '{vocabPath}' has no '{special}' token.");
            }
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(mergesPath, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read the merges '{mergesPath}': {ex.Message}", ex);
        }

        var merges = new List<(string, string)>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if ((i == 0 && lines[i].StartsWith("#version", StringComparison.Ordinal)) || lines[i].Length == 0)
            {
                continue;
            }

            merges.Add(ParseMerge(lines[i], mergesPath, i + 1));
        }

        return new ClipBpeVocabulary(new Dictionary<string, int>(encoder, StringComparer.Ordinal), merges);
    }

    /// <summary>Writes this vocabulary as a Hugging Face <c>vocab.json</c> + <c>merges.txt</c> pair.</summary>
    public void WriteHuggingFaceFiles(string vocabPath, string mergesPath)
    {
        var ordered = Encoder.OrderBy(pair => pair.Value).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        File.WriteAllText(vocabPath, JsonSerializer.Serialize(ordered, TokenizationJsonContext.Default.DictionaryStringInt32), new UTF8Encoding(false));

        var builder = new StringBuilder().Append(HuggingFaceMergesHeader).Append('\n');
        foreach (var (left, right) in Merges)
        {
            builder.Append(left).Append(' ').Append(right).Append('\n');
        }

        File.WriteAllText(mergesPath, builder.ToString(), new UTF8Encoding(false));
    }

    private static (string, string) ParseMerge(string line, string path, int lineNumber)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw new InvalidDataException($"{path}, line {lineNumber}: a merge is two symbols separated by a space, found '{line}'.");
        }

        return (parts[0], parts[1]);
    }

    /// <summary>The decompressed bytes of a gzip file, refused past <see cref="MaxOpenAiFileBytes"/>.</summary>
    private static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var text = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            text.Write(buffer, 0, read);
            if (text.Length > MaxOpenAiFileBytes)
            {
                throw new InvalidDataException($"it decompresses to more than {MaxOpenAiFileBytes} bytes");
            }
        }

        return text.ToArray();
    }
}
