using IpIqa.Core.Tokenization;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Tokenization;

public sealed class ClipBpeTokenizerTests
{
    [FixtureTheory(ClipBpeFixtures.BpeFile, ClipBpeFixtures.CasesFile)]
    [MemberData(nameof(ClipBpeFixtures.CaseLines), MemberType = typeof(ClipBpeFixtures))]
    public void Encode_ReferenceCase_MatchesOfficialIdsAndTruncation(int line)
    {
        var reference = ClipBpeFixtures.Cases[line - 1];

        var prompt = ClipBpeFixtures.Tokenizer.Encode(reference.Text);

        Assert.Equal(reference.Ids, prompt.Ids);
        Assert.Equal(reference.Truncated, prompt.Truncated);
    }

    [FixtureFact(ClipBpeFixtures.BpeFile, ClipBpeFixtures.ManifestFile)]
    public void Encode_ManifestPrompts_MatchModelReferenceIds()
    {
        var samples = ClipBpeFixtures.ManifestPrompts();
        Assert.NotEmpty(samples);

        foreach (var sample in samples)
        {
            Assert.Equal(sample.Ids, ClipBpeFixtures.Tokenizer.Encode(sample.Text).Ids);
        }
    }

    [FixtureFact(ClipBpeFixtures.BpeFile, ClipBpeFixtures.CasesFile)]
    public void Encode_ReferenceCases_TokenStringsMapToTheirIds()
    {
        var tokenizer = ClipBpeFixtures.Tokenizer;
        foreach (var reference in ClipBpeFixtures.Cases)
        {
            var prompt = tokenizer.Encode(reference.Text);
            var used = prompt.Ids.TakeWhile((id, index) => index == 0 || id != 0).ToArray();

            Assert.Equal(used.Length, prompt.Tokens.Count);
            Assert.Equal(used, prompt.Tokens.Select(token => (long)tokenizer.Vocabulary.Encoder[token]));
        }
    }

    [FixtureFact(ClipBpeFixtures.BpeFile)]
    public void Encode_LongPrompt_KeepsFirstTokensEndsWithEndOfTextAndReportsTruncation()
    {
        var tokenizer = new ClipBpeTokenizer(ClipBpeFixtures.Vocabulary, contextLength: 8);

        var prompt = tokenizer.Encode("one two three four five six seven eight nine");

        Assert.True(prompt.Truncated);
        Assert.Equal(8, prompt.Ids.Length);
        Assert.Equal(tokenizer.Vocabulary.StartOfTextId, prompt.Ids[0]);
        Assert.Equal(tokenizer.Vocabulary.EndOfTextId, prompt.Ids[^1]);
        Assert.Equal(["one</w>", "two</w>", "three</w>", "four</w>", "five</w>", "six</w>"], prompt.Tokens.Skip(1).Take(6));
    }

    [FixtureFact(ClipBpeFixtures.BpeFile)]
    public void Encode_PromptThatExactlyFills_IsNotTruncated()
    {
        var tokenizer = new ClipBpeTokenizer(ClipBpeFixtures.Vocabulary, contextLength: 5);

        var prompt = tokenizer.Encode("one two three");

        Assert.False(prompt.Truncated);
        Assert.Equal(tokenizer.Vocabulary.EndOfTextId, prompt.Ids[^1]);
    }

    [FixtureFact(ClipBpeFixtures.BpeFile, ClipBpeFixtures.CasesFile)]
    public async Task Encode_ConcurrentCallers_GetTheSameIdsAsSequentialCalls()
    {
        var tokenizer = new ClipBpeTokenizer(ClipBpeFixtures.Vocabulary);
        var expected = ClipBpeFixtures.Cases.Select(c => c.Ids).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(
            () => ClipBpeFixtures.Cases.Select(c => tokenizer.Encode(c.Text).Ids).ToArray())));

        Assert.All(results, run => Assert.Equal(expected, run));
    }
}
