using IpIqa.Core.Tokenization;

namespace IpIqa.Core.Tests.Tokenization;

public sealed class ClipPreTokenizerTests
{
    [Theory]
    [InlineData("it's a cat's", "it 's a cat 's")]
    [InlineData("it'ſ", "it 'ſ")]
    [InlineData("𝐀b 𠀀x", "𝐀b 𠀀x")]
    [InlineData("123ab", "1 2 3 ab")]
    [InlineData("x!!'s", "x !!' s")]
    [InlineData("<|startoftext|>a<|endoftext|>", "<|startoftext|> a <|endoftext|>")]
    [InlineData("!<|endoftext|>", "!<| endoftext |>")]
    [InlineData("i\u0307stanbul", "i \u0307 stanbul")]
    [InlineData("🐱🚀 ok", "🐱🚀 ok")]
    public void Split_MatchesClipPatternOnCodePoints(string input, string expected)
    {
        var pieces = ClipPreTokenizer.Split(input).Select(p => input.Substring(p.Offset, p.Length));

        Assert.Equal(expected.Split(' '), pieces);
    }
}
