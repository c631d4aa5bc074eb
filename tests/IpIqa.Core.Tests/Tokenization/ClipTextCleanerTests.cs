using IpIqa.Core.Tokenization;

namespace IpIqa.Core.Tests.Tokenization;

/// <summary>Python semantics the cleaner reproduces (each expected value is what CPython returns).</summary>
public sealed class ClipTextCleanerTests
{
    [Theory]
    [InlineData("İstanbul", "i\u0307stanbul")]
    [InlineData("ΣΑΣ", "σας")]
    [InlineData("ΣΑΣ.", "σας.")]
    [InlineData("Σ", "σ")]
    [InlineData("AΣ'B", "aσ'b")]
    [InlineData("𝐀 Ａ", "𝐀 ａ")]
    [InlineData("𐐀", "𐐨")]
    public void Clean_Lowercases_LikePythonStrLower(string input, string expected) =>
        Assert.Equal(expected, ClipTextCleaner.Clean(input));

    [Theory]
    [InlineData("&amp;lt;", "<")]
    [InlineData("&amp &lt;x", "& <x")]
    [InlineData("&copy2024", "©2024")]
    [InlineData("AT&T R&D", "at&t r&d")]
    [InlineData("&region", "®ion")]
    [InlineData("&#0;&#x80;&#128512;&#xD800;&#99999999999;", "\uFFFD€😀\uFFFD\uFFFD")]
    [InlineData("a&#1;b&#xFFFF;c", "abc")]
    [InlineData("&NewLine;&nbsp;x", "x")]
    [InlineData("&#x;&#;&", "&#x;&#;&")]
    public void Clean_UnescapesHtml_LikePythonHtmlUnescapeTwice(string input, string expected) =>
        Assert.Equal(expected, ClipTextCleaner.Clean(input));

    [Theory]
    [InlineData("  a \t\n b\u3000c\u001fd  ", "a b c d")]
    [InlineData("\u00a0", "")]
    [InlineData("a\u200bb", "a\u200bb")]
    public void Clean_CollapsesAndStripsPythonWhitespace(string input, string expected) =>
        Assert.Equal(expected, ClipTextCleaner.Clean(input));
}
