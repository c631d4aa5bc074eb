using System.Globalization;
using IpIqa.Core.Tokenization;

namespace IpIqa.Inference.Tests.Fakes;

/// <summary>Prompts are numbers: "42" becomes [start, 42, end, 0, ...]. Anything else throws.</summary>
internal sealed class FakeTokenizer(int contextLength = 4) : IPromptTokenizer
{
    public int ContextLength { get; } = contextLength;

    public TokenizedPrompt Encode(string text)
    {
        var ids = new long[ContextLength];
        ids[0] = 49406;
        ids[1] = long.Parse(text, CultureInfo.InvariantCulture);
        ids[2] = 49407;
        return new TokenizedPrompt(ids, [text], false);
    }
}
