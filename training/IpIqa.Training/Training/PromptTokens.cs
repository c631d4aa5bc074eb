using System.Collections.Concurrent;
using IpIqa.Core.Tokenization;

namespace IpIqa.Training.Training;

/// <summary>Token ids per prompt text, encoded once with the CLIP tokenizer the bundle will carry.</summary>
public sealed class PromptTokens(IPromptTokenizer tokenizer)
{
    private readonly ConcurrentDictionary<string, long[]> _ids = new(StringComparer.Ordinal);

    public int ContextLength => tokenizer.ContextLength;

    public long[] Get(string prompt) => _ids.GetOrAdd(prompt, p => tokenizer.Encode(p).Ids);

    /// <summary>Row-major ids of <paramref name="prompts"/>: prompts.Count x context length.</summary>
    public long[] Batch(IEnumerable<string> prompts)
    {
        var rows = prompts.Select(Get).ToArray();
        var ids = new long[rows.Length * ContextLength];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(ids, i * ContextLength);
        }

        return ids;
    }
}
