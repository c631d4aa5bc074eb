using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace IpIqa.Core.Tokenization;

/// <summary>
/// CLIP's BPE tokenizer, id for id the official <c>SimpleTokenizer</c> followed by
/// <c>clip.tokenize(text, context_length, truncate=True)</c>. The merges run in
/// <see cref="BpeTokenizer"/> (byte level, <c>&lt;/w&gt;</c> suffix); text cleaning and
/// pre-tokenization are <see cref="ClipTextCleaner"/> and <see cref="ClipPreTokenizer"/>.
/// Thread-safe: the only mutable state is a concurrent word cache.
/// </summary>
public sealed class ClipBpeTokenizer : IPromptTokenizer
{
    /// <summary>Words whose encoding is kept; past this the cache stops growing.</summary>
    public const int MaxCachedWords = 100_000;

    private const int MaxCachedWordLength = 64;

    private readonly BpeTokenizer _bpe;
    private readonly ConcurrentDictionary<string, EncodedToken[]> _wordCache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _specials;

    public ClipBpeTokenizer(ClipBpeVocabulary vocabulary, int contextLength = 77)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        Vocabulary = vocabulary;
        ContextLength = contextLength;
        _specials = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [ClipPreTokenizer.StartOfText] = vocabulary.StartOfTextId,
            [ClipPreTokenizer.EndOfText] = vocabulary.EndOfTextId,
        };

        _bpe = BpeTokenizer.Create(new BpeOptions(vocabulary.Encoder)
        {
            Merges = vocabulary.Merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
            EndOfWordSuffix = ClipBpeVocabulary.EndOfWordSuffix,
            PreTokenizer = ClipPreTokenizer.Instance,
            SpecialTokens = _specials,
        });
    }

    public int ContextLength { get; }

    public ClipBpeVocabulary Vocabulary { get; }

    /// <summary>The underlying <see cref="BpeTokenizer"/> (for decoding and inspection).</summary>
    public Tokenizer Bpe => _bpe;

    public TokenizedPrompt Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = EncodeUnpadded(text);
        var truncated = tokens.Count + 2 > ContextLength;
        var kept = Math.Min(tokens.Count, ContextLength - 2);

        var ids = new long[ContextLength];
        var strings = new string[kept + 2];
        ids[0] = Vocabulary.StartOfTextId;
        strings[0] = ClipPreTokenizer.StartOfText;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = tokens[i].Id;
            strings[i + 1] = tokens[i].Value;
        }

        ids[kept + 1] = Vocabulary.EndOfTextId;
        strings[kept + 1] = ClipPreTokenizer.EndOfText;
        return new TokenizedPrompt(ids, strings, truncated);
    }

    /// <summary>
    /// The BPE tokens of the text, without start, end or padding. Offsets refer to the cleaned text
    /// (<see cref="ClipTextCleaner.Clean"/>), not to <paramref name="text"/>.
    /// </summary>
    public IReadOnlyList<EncodedToken> EncodeUnpadded(string text)
    {
        var cleaned = ClipTextCleaner.Clean(text);
        var tokens = new List<EncodedToken>();
        foreach (var (offset, length) in ClipPreTokenizer.Split(cleaned))
        {
            var word = cleaned.Substring(offset, length);
            if (_specials.TryGetValue(word, out var specialId))
            {
                tokens.Add(new EncodedToken(specialId, word, new Range(offset, offset + length)));
                continue;
            }

            foreach (var token in EncodeWord(word))
            {
                tokens.Add(new EncodedToken(token.Id, token.Value, new Range(offset + token.Offset.Start.Value, offset + token.Offset.End.Value)));
            }
        }

        return tokens;
    }

    private EncodedToken[] EncodeWord(string word)
    {
        if (_wordCache.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var encoded = _bpe.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false).ToArray();
        if (word.Length <= MaxCachedWordLength && _wordCache.Count < MaxCachedWords)
        {
            _wordCache.TryAdd(word, encoded);
        }

        return encoded;
    }
}
